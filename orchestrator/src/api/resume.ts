import { resumeCgroup } from '../cgroups/freeze.js';
import { OrchError } from '../errors/orch-error.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/** `resume`: thaws a paused container; any other status is "container not paused", runc's error. */
export async function resumeContainer(opts: RuntimeOptions & { id: string }): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  await store.withLock(opts.id, () => {
    const record = store.read(opts.id);
    if (containerStatus(record, store) !== 'paused') throw new OrchError('bad-state', 'container not paused');
    resumeCgroup(record.cgroup);
  });
}
