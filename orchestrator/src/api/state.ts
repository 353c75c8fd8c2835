import type { StateOutput } from '../state/container-record.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import { toStateOutput } from '../state/state-output.js';
import type { RuntimeOptions } from './options.js';

/**
 * `state`: the container's OCI state, status computed now. Takes no lock: state.json is only
 * ever replaced by rename, so a read sees the old or the new record, never half of one.
 */
export function containerState(opts: RuntimeOptions & { id: string }): StateOutput {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  const record = store.read(opts.id);
  return toStateOutput(record, containerStatus(record, store));
}
