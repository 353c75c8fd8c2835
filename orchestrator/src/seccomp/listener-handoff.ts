import { SYNC } from '../protocol/protocol.js';
import type { SyncChannel } from '../bootstrap/sync-channel.js';
import type { ContainerProcessState } from './process-state.js';

/**
 * The init asks (procSeccomp) right before it loads a filter with SCMP_ACT_NOTIFY rules; the
 * answer carries the state it then sends, with the listener fd, to the agent over the socket
 * orch connected at spawn. Asking before the filter exists keeps the init's syscalls after it to
 * the one sendmsg that hands the fd over.
 */
export async function answerSeccompRequest(channel: SyncChannel, state: ContainerProcessState): Promise<void> {
  await channel.expect(SYNC.procSeccomp, 'it asked for the seccomp agent state');
  channel.send(SYNC.procSeccompDone, { state: { ...state } });
}
