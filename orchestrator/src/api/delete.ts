import { OrchError } from '../errors/orch-error.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { NOT_FOUND, StateStore } from '../state/state-store.js';
import { destroyContainer, recordRemains } from '../lifecycle/destroy.js';
import { halfMadeRemains, halfMadeStatus } from '../lifecycle/half-made.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import type { RuntimeOptions } from './options.js';

export interface DeleteOptions extends RuntimeOptions {
  id: string;
  /** kill a running or paused container first */
  force?: boolean;
}

/**
 * `delete`, with runc's rules: a stopped container is cleaned up; a created one (never started)
 * is killed and cleaned up without --force; a running or paused one needs --force; one whose
 * create was killed half-way is cleaned up from its intent record. Clean up is the one destroy:
 * whatever is left in the cgroup is killed, the cgroup removed, then the state dir, then poststop.
 * `delete --force` of an unknown id succeeds, as podman and CRI-O expect.
 */
export async function deleteContainer(opts: DeleteOptions): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  if (!store.exists(opts.id)) {
    if (opts.force) return;
    throw new OrchError('not-found', NOT_FOUND);
  }
  const flags = { force: opts.force ?? false };
  await store.withLock(opts.id, async () => {
    let record: ContainerRecord;
    try {
      record = store.read(opts.id);
    } catch (err) {
      if (!(err instanceof OrchError) || err.code !== 'not-found') throw err;
      // no state.json: a create that has not finished, or was killed half-way
      const intent = store.readIntent(opts.id);
      if (intent) {
        requireStatus('delete', halfMadeStatus(intent), opts.id, flags);
        await destroyContainer(store, halfMadeRemains(intent));
        return;
      }
      // a bare dir (an older orch's interrupted create): nothing else to clean up; runc's answer
      store.remove(opts.id);
      if (opts.force) return;
      throw err;
    }
    requireStatus('delete', containerStatus(record, store), opts.id, flags);
    await destroyContainer(store, recordRemains(record, opts.hookEnv));
  });
}
