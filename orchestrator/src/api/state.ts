import { OrchError } from '../errors/orch-error.js';
import { halfMadeState } from '../lifecycle/half-made.js';
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
  let record;
  try {
    record = store.read(opts.id);
  } catch (err) {
    // a create in progress, or one killed half-way: what its intent record says
    const intent = err instanceof OrchError && err.code === 'not-found' ? store.readIntent(opts.id) : undefined;
    if (intent) return halfMadeState(intent);
    throw err;
  }
  return toStateOutput(record, containerStatus(record, store));
}
