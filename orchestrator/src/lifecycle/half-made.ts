import type { ContainerStatus, StateOutput } from '../state/container-record.js';
import { isAlive, type IntentRecord } from '../state/intent.js';

/**
 * A container whose create has not finished: still "creating" while its creator runs, "stopped"
 * (half-made) once that process is gone without having written state.json.
 */
export function halfMadeStatus(intent: IntentRecord): ContainerStatus {
  return isAlive(intent.creator) ? 'creating' : 'stopped';
}

/** The OCI state of a half-made container, from its intent record. */
export function halfMadeState(intent: IntentRecord, owner = ''): StateOutput {
  return {
    ociVersion: intent.ociVersion,
    id: intent.id,
    pid: isAlive(intent.init) ? (intent.init?.pid ?? 0) : 0,
    status: halfMadeStatus(intent),
    bundle: intent.bundle,
    rootfs: '',
    created: intent.created,
    owner,
  };
}
