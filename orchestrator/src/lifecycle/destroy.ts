import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeContainerCgroup } from '../cgroups/container-cgroup.js';
import { cgroupDriver } from '../cgroups/driver.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import { runPoststopHooks } from '../hooks/poststop.js';
import type { HookEnv } from '../hooks/run-hook.js';
import type { CgroupPlacement, ContainerRecord } from '../state/container-record.js';
import { isAlive, type ProcessRef } from '../state/intent.js';
import type { StateStore } from '../state/state-store.js';

/** What is left of a container, whatever stage it reached. */
export interface Remains {
  id: string;
  /** its processes as recorded (the init, the helper): killed only if still those processes */
  processes: ReadonlyArray<ProcessRef | undefined>;
  /** its cgroup or systemd unit, and resctrl group */
  cgroup?: CgroupPlacement;
  /** a container that got as far as its config: its poststop hooks run once it is gone */
  hooks?: Pick<ContainerRecord, 'id' | 'bundle' | 'annotations' | 'config'>;
  /** their environment when a hook gives none */
  hookEnv?: HookEnv;
}

/** How long destroy waits for killed processes to go: runc's 100 × 100 ms. */
const KILL_WAIT_MS = 10_000;

/**
 * The one destroy (runc's destroy()), for delete, the end of a foreground run or restore, a failed
 * create or restore, and a half-made container: its processes and whatever is in its cgroup are
 * SIGKILLed and waited for (10 s at most), the cgroup (unit, resctrl group) removed, then the state
 * dir, then the poststop hooks, whose failures only warn. If the cgroup cannot be removed the state
 * dir stays, so a later `delete` can try again: nothing is left without a record of it.
 */
export async function destroyContainer(store: StateStore, remains: Remains): Promise<void> {
  await killRemains(remains);
  if (remains.cgroup) await removeContainerCgroup(remains.cgroup);
  store.remove(remains.id);
  if (remains.hooks) await runPoststopHooks(remains.hooks, remains.hookEnv ?? {});
}

/** SIGKILLs the recorded processes and the cgroup's, and waits (10 s at most) until all are gone. */
export async function killRemains(remains: Remains): Promise<void> {
  const SIGKILL = constants.signals.SIGKILL;
  const alive = (): ProcessRef[] => remains.processes.filter((ref): ref is ProcessRef => isAlive(ref));
  for (const ref of alive()) {
    try {
      process.kill(ref.pid, SIGKILL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw systemError(`kill ${ref.pid}`, err);
    }
  }
  // processes outside the container's pid namespace (or sharing the host's) do not die with its
  // init; a paused container's tasks die only once thawed (kill thaws for SIGKILL)
  const cgroup = remains.cgroup ? cgroupDriver(remains.cgroup) : undefined;
  cgroup?.kill(SIGKILL);
  const deadline = Date.now() + KILL_WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const left = [...alive().map((ref) => ref.pid), ...(cgroup?.pids() ?? [])];
    if (left.length === 0) return;
    if (Date.now() >= deadline) throw new OrchError('system', `container ${remains.id}: processes ${left.join(', ')} still running ${KILL_WAIT_MS / 1000} s after SIGKILL`);
    await sleep(delay);
  }
}

/** The remains of a container that has a state.json. */
export function recordRemains(record: ContainerRecord, hookEnv: HookEnv = {}): Remains {
  return { id: record.id, processes: [{ pid: record.initPid, startTime: record.initStartTime }], cgroup: record.cgroup, hooks: record, hookEnv };
}
