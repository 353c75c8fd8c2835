import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cgroupPids, killCgroup, thawCgroup } from '../cgroups/cgroup-manager.js';
import { removeContainerCgroup } from '../cgroups/container-cgroup.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { NOT_FOUND, StateStore } from '../state/state-store.js';
import { runPoststopHooks } from '../hooks/poststop.js';
import { destroyHalfMade } from '../lifecycle/destroy-half-made.js';
import { halfMadeStatus } from '../lifecycle/half-made.js';
import type { RuntimeOptions } from './options.js';

export interface DeleteOptions extends RuntimeOptions {
  id: string;
  /** kill a running or paused container first */
  force?: boolean;
}

/** How long delete waits for killed processes to go: runc's 100 × 100 ms. */
const KILL_WAIT_MS = 10_000;

/**
 * `delete`, with runc's rules: a stopped container is cleaned up; a created one (never started)
 * is killed and cleaned up without --force; a running or paused one needs --force; one whose
 * create was killed half-way is cleaned up from its intent record. Clean up means: whatever is
 * left in the cgroup is killed, the cgroup removed, then the state dir.
 * `delete --force` of an unknown id succeeds, as podman and CRI-O expect.
 */
export async function deleteContainer(opts: DeleteOptions): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  if (!store.exists(opts.id)) {
    if (opts.force) return;
    throw new OrchError('not-found', NOT_FOUND);
  }
  await store.withLock(opts.id, async () => {
    let record: ContainerRecord;
    try {
      record = store.read(opts.id);
    } catch (err) {
      if (!(err instanceof OrchError) || err.code !== 'not-found') throw err;
      // no state.json: a create that has not finished, or was killed half-way
      const intent = store.readIntent(opts.id);
      if (intent && halfMadeStatus(intent) === 'creating' && !opts.force) {
        throw new OrchError('bad-state', `cannot delete container ${opts.id} that is not stopped: creating`);
      }
      if (intent) {
        await destroyHalfMade(store, intent);
        return;
      }
      // a bare dir (an older orch's interrupted create): nothing else to clean up; runc's answer
      store.remove(opts.id);
      if (opts.force) return;
      throw err;
    }
    const status = containerStatus(record, store);
    if (status === 'running' || status === 'paused') {
      if (!opts.force) throw new OrchError('bad-state', `cannot delete container ${opts.id} that is not stopped: ${status}`);
    }
    if (status !== 'stopped') await killAndWait(record, store, status === 'paused');
    await removeContainerCgroup(record.cgroup);
    store.remove(opts.id);
    // after the container is gone, as in runc's destroy(); failures only warn
    await runPoststopHooks(record);
  });
}

async function killAndWait(record: ContainerRecord, store: StateStore, paused: boolean): Promise<void> {
  const SIGKILL = constants.signals.SIGKILL;
  try {
    process.kill(record.initPid, SIGKILL);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw systemError(`kill ${record.initPid}`, err);
  }
  // processes outside the container's pid namespace (or sharing the host's) do not die with its init
  killCgroup(record.cgroup, SIGKILL);
  if (paused) thawCgroup(record.cgroup);
  const deadline = Date.now() + KILL_WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    if (containerStatus(record, store) === 'stopped' && cgroupPids(record.cgroup).length === 0) return;
    if (Date.now() >= deadline) throw new OrchError('system', 'container init still running');
    await sleep(delay);
  }
}
