import { existsSync } from 'node:fs';
import { cgroupDriver } from '../cgroups/driver.js';
import type { CgroupPlacement, ContainerRecord, ContainerStatus } from './container-record.js';
import { readProcStat, type ProcStat } from './process-start-time.js';
import type { StateStore } from './state-store.js';

/** What status needs from the host; tests pass fakes. */
export interface StatusProbe {
  procStat(pid: number): ProcStat | null;
  exists(path: string): boolean;
  frozen(placement: CgroupPlacement): boolean;
}

export const hostProbe: StatusProbe = {
  procStat: readProcStat,
  exists: existsSync,
  frozen: (placement) => cgroupDriver(placement).isFrozen(),
};

/**
 * The status as runc derives it, nothing is stored:
 * - stopped: no init pid, no such process, a zombie, or a process whose start time differs from
 *   the recorded one (the pid was reused by someone else);
 * - paused: the cgroup is frozen;
 * - created: exec.fifo is still there (start removes it);
 * - running otherwise.
 */
export function containerStatus(record: ContainerRecord, store: StateStore, probe: StatusProbe = hostProbe): ContainerStatus {
  if (record.initPid <= 0) return 'stopped';
  const stat = probe.procStat(record.initPid);
  if (stat === null || stat.startTime !== record.initStartTime || stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') {
    return 'stopped';
  }
  if (probe.frozen(record.cgroup)) return 'paused';
  if (probe.exists(store.fifoPath(record.id))) return 'created';
  return 'running';
}
