import { OrchError } from '../../errors/orch-error.js';
import type { CgroupPlacement } from '../../state/container-record.js';
import { hasErrno } from '../cgroup-file.js';
import { controllerDir } from '../controller-dir.js';
import { blkioStatsV1 } from '../v1/blkio.js';
import { cpuStatsV1 } from '../v1/cpu.js';
import { cpuacctStatsV1 } from '../v1/cpuacct.js';
import { cpusetStatsV1 } from '../v1/cpuset.js';
import { hugetlbStatsV1 } from '../v1/hugetlb.js';
import { memoryStatsV1 } from '../v1/memory.js';
import { pidsStatsV1 } from '../v1/pids.js';
import { cpuStatsV2 } from '../v2/cpu.js';
import { hugetlbStatsV2 } from '../v2/hugetlb.js';
import { ioStatsV2 } from '../v2/io.js';
import { memoryStatsV2 } from '../v2/memory.js';
import { pidsStatsV2 } from '../v2/pids.js';
import { readPsi } from '../v2/psi.js';
import { emptyCgroupStats, type CgroupStats } from './cgroup-stats.js';

/** v1, as runc's Manager.GetStats: each mounted controller in runc's order; the first failure fails the whole snapshot, as in runc. */
export function collectStatsV1(p: CgroupPlacement): CgroupStats {
  const stats = emptyCgroupStats();
  const readers: Array<[string, (dir: string, s: CgroupStats) => void]> = [
    ['cpuset', cpusetStatsV1],
    ['memory', memoryStatsV1],
    ['cpu', cpuStatsV1],
    ['cpuacct', cpuacctStatsV1],
    ['pids', pidsStatsV1],
    ['blkio', blkioStatsV1],
    ['hugetlb', hugetlbStatsV1],
  ];
  for (const [controller, read] of readers) {
    const dir = controllerDir(p, controller);
    if (dir !== undefined) read(dir, stats);
  }
  return stats;
}

/** v2: every controller is tried; a missing file of an optional controller is no error; the rest are reported together. */
export function collectStatsV2(dir: string): CgroupStats {
  const stats = emptyCgroupStats();
  const errors: string[] = [];
  const attempt = (fn: () => void, missingIsFine: boolean): void => {
    try {
      fn();
    } catch (err) {
      if (missingIsFine && hasErrno(err, 'ENOENT')) return;
      errors.push(err instanceof Error ? err.message : String(err));
    }
  };
  attempt(() => pidsStatsV2(dir, stats), false);
  attempt(() => memoryStatsV2(dir, stats), true);
  attempt(() => setPsi(stats.memory, readPsi(dir, 'memory.pressure')), false);
  attempt(() => ioStatsV2(dir, stats), true);
  attempt(() => setPsi(stats.blkio, readPsi(dir, 'io.pressure')), false);
  attempt(() => cpuStatsV2(dir, stats), true);
  attempt(() => setPsi(stats.cpu, readPsi(dir, 'cpu.pressure')), false);
  attempt(() => hugetlbStatsV2(dir, stats), true);
  if (errors.length > 0) throw new OrchError('system', `error while statting cgroup v2: [${errors.join('; ')}]`);
  return stats;
}

function setPsi(target: { psi?: CgroupStats['cpu']['psi'] }, psi: CgroupStats['cpu']['psi']): void {
  if (psi !== undefined) target.psi = psi;
}
