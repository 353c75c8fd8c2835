import type { LinuxPids } from '../../config/spec-types.js';
import { readCgroupFile, readCgroupFileIfExists, writeCgroupFile } from '../cgroup-file.js';
import { parseCgroupUint, readCgroupUint } from '../cgroup-values.js';
import { join } from 'node:path';
import { pidsLimitStat, pidsMaxValue } from '../pids-limit.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v2 pids controller: pids.max and the current/limit stats. */

export function setPidsV2(dir: string, pids: LinuxPids | undefined): void {
  if (pids?.limit !== undefined) writeCgroupFile('pids', dir, 'pids.max', pidsMaxValue(pids.limit));
}

/** Without the pids controller (not enabled for the cgroup), the count of cgroup.procs lines and no limit. */
export function pidsStatsV2(dir: string, stats: CgroupStats): void {
  const current = readCgroupFileIfExists('pids', dir, 'pids.current');
  if (current === undefined) {
    stats.pids.current = BigInt(readCgroupFile('pids', dir, 'cgroup.procs').split('\n').filter((l) => l !== '').length);
    stats.pids.limit = 0n;
    return;
  }
  stats.pids.current = parseCgroupUint(current, join(dir, 'pids.current'));
  stats.pids.limit = pidsLimitStat(readCgroupUint('pids', dir, 'pids.max'));
}
