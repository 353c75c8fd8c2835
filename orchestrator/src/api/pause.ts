import { cgroupDriver } from '../cgroups/driver.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import { readForChange, recordedOperation } from '../lifecycle/operation.js';
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
  await store.withLock(opts.id, async () => {
    const record = await readForChange(store, opts.id);
    requireStatus('pause', containerStatus(record, store), opts.id);
    await recordedOperation(store, record, 'pause', () => Promise.resolve(cgroupDriver(record.cgroup).freeze()));
  });
}
