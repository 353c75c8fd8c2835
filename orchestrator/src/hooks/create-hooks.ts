import { SYNC } from '../protocol/protocol.js';
import type { SyncChannel } from '../bootstrap/sync-channel.js';
import type { Spec } from '../config/spec-types.js';
import { hookState } from './hook-state.js';
import { hooksOf, runHooks } from './run-hooks.js';
import type { HookEnv } from './run-hook.js';

/**
 * The create step's runtime-namespace hooks. The init, its mounts in place and before the root
 * change, sends procHooks when the spec has prestart or createRuntime hooks (it reads the same
 * spec) and waits; they run here with the state "creating" and the init's pid, then procResume
 * lets it go on to the createContainer hooks and pivot_root. A failure is create's failure.
 */
export async function runCreateHooks(channel: SyncChannel, spec: Spec, container: { id: string; bundle: string; annotations: Record<string, string> }, initPid: number, hookEnv: HookEnv): Promise<void> {
  if (hooksOf(spec, 'prestart').length === 0 && hooksOf(spec, 'createRuntime').length === 0) return;
  await channel.expect(SYNC.procHooks, 'it set up the mounts');
  const state = hookState(container, 'creating', initPid);
  await runHooks(spec, 'prestart', state, container.bundle, hookEnv);
  await runHooks(spec, 'createRuntime', state, container.bundle, hookEnv);
  channel.send(SYNC.procResume);
}
