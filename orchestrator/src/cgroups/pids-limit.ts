import { int64Text } from './spec-integer.js';
import { MAX_UINT64 } from './cgroup-values.js';

/**
 * linux.resources.pids.limit as pids.max takes it, the same on v1 and v2 (runc): a positive limit
 * as is, 0 as 1 (systemd cannot set 0, and runc keeps its drivers alike), negative as "max".
 */
export function pidsMaxValue(limit: number): string {
  if (limit > 0) return int64Text(limit);
  return limit === 0 ? '1' : 'max';
}

/** pids.max as stats report it: "max" (2^64-1 once parsed) is 0. */
export function pidsLimitStat(max: bigint): bigint {
  return max === MAX_UINT64 ? 0n : max;
}
