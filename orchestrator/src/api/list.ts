import { statSync } from 'node:fs';
import { OrchError } from '../errors/orch-error.js';
import { logger } from '../log/logger.js';
import type { StateOutput } from '../state/container-record.js';
import { containerStatus } from '../state/container-status.js';
import { ownerNames } from '../state/owner-name.js';
import { StateStore } from '../state/state-store.js';
import { toStateOutput } from '../state/state-output.js';
import { halfMadeState } from '../lifecycle/half-made.js';
import type { RuntimeOptions } from './options.js';

/**
 * `list`: every container under root, sorted by id, with OWNER from the state dir's uid. A create
 * in progress, or killed half-way, shows from its intent record ("creating" / "stopped").
 */
export function listContainers(opts: RuntimeOptions): StateOutput[] {
  const store = new StateStore(opts.root);
  const ownerOf = ownerNames();
  const states: StateOutput[] = [];
  for (const id of store.list()) {
    try {
      const uid = statSync(store.dir(id)).uid;
      const record = store.read(id);
      states.push(toStateOutput(record, containerStatus(record, store), ownerOf(uid)));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // no state.json: being created, or left half-made by a killed create (its intent says which)
      const intent = err instanceof OrchError && err.code === 'not-found' ? store.readIntent(id) : undefined;
      if (intent) states.push(halfMadeState(intent, ownerOf(statSync(store.dir(id)).uid)));
      else if (err instanceof OrchError && err.code === 'not-found') logger().debug(`list: skipping ${id}: ${message}`);
      else logger().warn(`list: skipping ${id}: ${message}`);
    }
  }
  return states;
}
