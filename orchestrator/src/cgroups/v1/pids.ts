import { existsSync } from 'node:fs';
import type { LinuxPids } from '../../config/spec-types.js';
import { writeCgroupFile } from '../cgroup-file.js';
import { readCgroupUint } from '../cgroup-values.js';
import { pidsLimitStat, pidsMaxValue } from '../pids-limit.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v1 pids controller: pids.max and the current/limit stats. */

export function setPidsV1(dir: string, pids: LinuxPids | undefined): void {
  if (pids?.limit !== undefined) writeCgroupFile('pids', dir, 'pids.max', pidsMaxValue(pids.limit));
}

export function pidsStatsV1(dir: string, stats: CgroupStats): void {
  if (!existsSync(dir)) return;
  stats.pids.current = readCgroupUint('pids', dir, 'pids.current');
  stats.pids.limit = pidsLimitStat(readCgroupUint('pids', dir, 'pids.max'));
}
