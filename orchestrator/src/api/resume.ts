import { cgroupDriver } from '../cgroups/driver.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import { readForChange } from '../lifecycle/operation.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/** `resume`: thaws a paused container; any other status is "container not paused", runc's error. */
export async function resumeContainer(opts: RuntimeOptions & { id: string }): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  await store.withLock(opts.id, async () => {
    const record = await readForChange(store, opts.id);
    requireStatus('resume', containerStatus(record, store), opts.id);
    cgroupDriver(record.cgroup).thaw();
  });
}
