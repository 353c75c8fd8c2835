import { join } from 'node:path';
import type { LinuxCpu } from '../../config/spec-types.js';
import { hasErrno, readCgroupFile, writeCgroupFile } from '../cgroup-file.js';
import { parseKeyValues } from '../cgroup-values.js';
import { int64Text, uint64Text } from '../spec-integer.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/**
 * The v2 cpu controller (runc's fs2 setCPU): cpu.idle, cpu.weight from the spec's shares,
 * cpu.max "<quota|max> <period>", cpu.max.burst. v2 has no realtime bandwidth per cgroup: the
 * realtime fields are ignored, as runc ignores them.
 */

const C = 'cpu';
const DEFAULT_PERIOD = 100000;

/**
 * v1 cpu.shares [2, 262144] onto v2 cpu.weight [1, 10000] as runc 1.3.2 and crun 1.23 map them:
 * a quadratic in log2(shares) that sends 2 to 1, 1024 (the default) to 100 (the default) and
 * 262144 to 10000, rounded up; 0 is "unset". Out-of-range shares are clamped (the kernel clamps
 * them on v1 too). The old linear map gave the default shares weight 39.
 */
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  return Math.ceil(10 ** ((l * l + 125 * l) / 612 - 7 / 34));
}

export function cpuV2IsSet(cpu: LinuxCpu | undefined): boolean {
  return cpu !== undefined && (cpuSharesToWeight(cpu.shares ?? 0) !== 0 || (cpu.quota ?? 0) !== 0 || (cpu.period ?? 0) !== 0 || cpu.idle !== undefined || cpu.burst !== undefined);
}

/** cpu.max's text: quota (or "max" for none or negative) and the period (100 ms when unset). */
export function cpuMaxValue(quota: number, period: number): string {
  return `${quota > 0 ? int64Text(quota) : 'max'} ${uint64Text(period === 0 ? DEFAULT_PERIOD : period)}`;
}

export function setCpuV2(dir: string, cpu: LinuxCpu | undefined): void {
  if (cpu === undefined || !cpuV2IsSet(cpu)) return;
  if (cpu.idle !== undefined) writeCgroupFile(C, dir, 'cpu.idle', int64Text(cpu.idle));
  const weight = cpuSharesToWeight(cpu.shares ?? 0);
  if (weight !== 0) writeCgroupFile(C, dir, 'cpu.weight', String(weight));
  const quota = cpu.quota ?? 0;
  const period = cpu.period ?? 0;
  let burst: string | undefined;
  if (cpu.burst !== undefined) {
    burst = uint64Text(cpu.burst);
    try {
      writeCgroupFile(C, dir, 'cpu.max.burst', burst);
      burst = undefined;
    } catch (err) {
      // a burst above the current quota: retried once the new quota is in
      if (!hasErrno(err, 'EINVAL') || quota === 0) throw err;
    }
  }
  if (quota !== 0 || period !== 0) {
    writeCgroupFile(C, dir, 'cpu.max', cpuMaxValue(quota, period));
    if (burst !== undefined) writeCgroupFile(C, dir, 'cpu.max.burst', burst);
  }
}

/** cpu.stat's microseconds as the nanoseconds v1 reports. */
export function cpuStatsV2(dir: string, stats: CgroupStats): void {
  const u = stats.cpu.usage;
  const t = stats.cpu.throttling;
  for (const [key, value] of parseKeyValues(readCgroupFile(C, dir, 'cpu.stat'), join(dir, 'cpu.stat'))) {
    if (key === 'usage_usec') u.total = value * 1000n;
    else if (key === 'user_usec') u.user = value * 1000n;
    else if (key === 'system_usec') u.kernel = value * 1000n;
    else if (key === 'nr_periods') t.periods = value;
    else if (key === 'nr_throttled') t.throttledPeriods = value;
    else if (key === 'throttled_usec') t.throttledTime = value * 1000n;
  }
}
