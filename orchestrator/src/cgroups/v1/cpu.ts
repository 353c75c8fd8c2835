import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import type { LinuxCpu } from '../../config/spec-types.js';
import { hasErrno, readCgroupFileIfExists, writeCgroupFile } from '../cgroup-file.js';
import { parseKeyValues, readCgroupUint } from '../cgroup-values.js';
import { int64Text, uint64Text } from '../spec-integer.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v1 cpu controller: shares, CFS quota/period/burst, idle, realtime (runc's fs.CpuGroup) and throttling stats. */

const C = 'cpu';

export function cpuV1IsSet(cpu: LinuxCpu | undefined): boolean {
  return (
    cpu !== undefined &&
    ((cpu.shares ?? 0) !== 0 ||
      (cpu.period ?? 0) !== 0 ||
      (cpu.quota ?? 0) !== 0 ||
      cpu.burst !== undefined ||
      cpu.idle !== undefined ||
      (cpu.realtimePeriod ?? 0) !== 0 ||
      (cpu.realtimeRuntime ?? 0) !== 0)
  );
}

export function setCpuV1(dir: string, cpu: LinuxCpu | undefined): void {
  if (cpu === undefined) return;
  const shares = cpu.shares ?? 0;
  if (shares !== 0) {
    writeCgroupFile(C, dir, 'cpu.shares', uint64Text(shares));
    // the kernel clamps shares silently: say so instead
    const read = readCgroupUint(C, dir, 'cpu.shares');
    const wanted = BigInt(uint64Text(shares));
    if (wanted > read) throw new OrchError('invalid-argument', `the maximum allowed cpu-shares is ${read}`);
    if (wanted < read) throw new OrchError('invalid-argument', `the minimum allowed cpu-shares is ${read}`);
  }
  setCfsBandwidth(dir, cpu);
  if (cpu.idle !== undefined) writeCgroupFile(C, dir, 'cpu.idle', int64Text(cpu.idle));
  setRealtime(dir, cpu);
}

/**
 * quota <= period * parent's ratio and burst <= quota are checked by the kernel against the values
 * already there, so a write can fail with EINVAL until the other one is written: such a write is
 * retried after the quota, as runc does.
 */
function setCfsBandwidth(dir: string, cpu: LinuxCpu): void {
  const quota = cpu.quota ?? 0;
  let period: string | undefined;
  if ((cpu.period ?? 0) !== 0) {
    period = uint64Text(cpu.period ?? 0);
    if (tryWrite(dir, 'cpu.cfs_period_us', period, quota !== 0)) period = undefined;
  }
  let burst: string | undefined;
  if (cpu.burst !== undefined) {
    burst = uint64Text(cpu.burst);
    try {
      if (tryWrite(dir, 'cpu.cfs_burst_us', burst, quota !== 0)) burst = undefined;
    } catch (err) {
      // kernels before 5.14 have no burst
      if (!hasErrno(err, 'ENOENT')) throw err;
      burst = undefined;
    }
  }
  if (quota === 0) return;
  writeCgroupFile(C, dir, 'cpu.cfs_quota_us', int64Text(quota));
  if (period !== undefined) writeCgroupFile(C, dir, 'cpu.cfs_period_us', period);
  if (burst !== undefined) writeCgroupFile(C, dir, 'cpu.cfs_burst_us', burst);
}

/** Realtime runtime must fit the period (and the parent's runtime): the same retry as above. */
export function setRealtime(dir: string, cpu: LinuxCpu): void {
  const runtime = cpu.realtimeRuntime ?? 0;
  let period: string | undefined;
  if ((cpu.realtimePeriod ?? 0) !== 0) {
    period = uint64Text(cpu.realtimePeriod ?? 0);
    if (tryWrite(dir, 'cpu.rt_period_us', period, runtime !== 0)) period = undefined;
  }
  if (runtime === 0) return;
  writeCgroupFile(C, dir, 'cpu.rt_runtime_us', int64Text(runtime));
  if (period !== undefined) writeCgroupFile(C, dir, 'cpu.rt_period_us', period);
}

/** true when written; false when EINVAL may clear up after another write (retryLater); throws otherwise. */
function tryWrite(dir: string, file: string, value: string, retryLater: boolean): boolean {
  try {
    writeCgroupFile(C, dir, file, value);
    return true;
  } catch (err) {
    if (retryLater && hasErrno(err, 'EINVAL')) return false;
    throw err;
  }
}

/** nr_periods, nr_throttled and throttled_time from cpu.stat (nothing when it is missing). */
export function cpuStatsV1(dir: string, stats: CgroupStats): void {
  const text = readCgroupFileIfExists(C, dir, 'cpu.stat');
  if (text === undefined) return;
  for (const [key, value] of parseKeyValues(text, join(dir, 'cpu.stat'))) {
    if (key === 'nr_periods') stats.cpu.throttling.periods = value;
    else if (key === 'nr_throttled') stats.cpu.throttling.throttledPeriods = value;
    else if (key === 'throttled_time') stats.cpu.throttling.throttledTime = value;
  }
}
