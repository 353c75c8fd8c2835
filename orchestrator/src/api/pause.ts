import { pauseCgroup } from '../cgroups/freeze.js';
import { OrchError } from '../errors/orch-error.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/**
 * `pause`: freezes every process of a running or created container (v1 freezer, v2 cgroup.freeze);
 * its status is then "paused", read from the freezer, nothing stored. Anything else is
 * "container not running", runc's error.
 */
export async function pauseContainer(opts: RuntimeOptions & { id: string }): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  await store.withLock(opts.id, () => {
    const record = store.read(opts.id);
    const status = containerStatus(record, store);
    if (status !== 'running' && status !== 'created') throw new OrchError('bad-state', 'container not running');
    pauseCgroup(record.cgroup);
  });
}
