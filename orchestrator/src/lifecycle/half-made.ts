import type { ContainerStatus, StateOutput } from '../state/container-record.js';
import { isAlive, type IntentRecord } from '../state/intent.js';
import type { Remains } from './destroy.js';

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

/**
 * What an interrupted create (or restore) made, as its intent names it: the init and the helper,
 * only if still those processes, the cgroup or unit and the resctrl group (a creator still
 * running, under delete --force, is not killed: it may be a service's own process; its next step fails). No poststop hooks: the intent has no config to run them from.
 */
export function halfMadeRemains(intent: IntentRecord): Remains {
  return { id: intent.id, processes: [intent.init, intent.helper], ...(intent.cgroup ? { cgroup: intent.cgroup } : {}) };
}
