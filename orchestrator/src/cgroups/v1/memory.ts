import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import type { LinuxMemory } from '../../config/spec-types.js';
import { hasErrno, readCgroupFile, readCgroupFileIfExists, writeCgroupFile } from '../cgroup-file.js';
import { parseCgroupUint, parseKeyValues, readCgroupUint } from '../cgroup-values.js';
import { int64Text } from '../spec-integer.js';
import { emptyMemoryData, type CgroupStats, type MemoryData } from '../stats/cgroup-stats.js';

/** The v1 memory controller: limits (runc's fs.MemoryGroup.Set) and statistics. */

const C = 'memory';
const LIMIT = 'memory.limit_in_bytes';
const SWAP_LIMIT = 'memory.memsw.limit_in_bytes';

/** Whether applying m would write anything (so a missing memory hierarchy is an error). */
export function memoryV1IsSet(m: LinuxMemory | undefined): boolean {
  return m !== undefined && ((m.limit ?? 0) !== 0 || (m.swap ?? 0) !== 0 || (m.reservation ?? 0) !== 0 || m.disableOOMKiller === true || swappinessOf(m) !== undefined);
}

export function setMemoryV1(dir: string, m: LinuxMemory | undefined): void {
  if (m === undefined) return;
  setMemoryAndSwap(dir, m.limit ?? 0, m.swap ?? 0);
  // kernel and kernelTCP are ignored, as runc ignores them: the kernel dropped kmem limits
  if ((m.reservation ?? 0) !== 0) writeCgroupFile(C, dir, 'memory.soft_limit_in_bytes', int64Text(m.reservation ?? 0));
  if (m.disableOOMKiller === true) writeCgroupFile(C, dir, 'memory.oom_control', '1');
  const swappiness = swappinessOf(m);
  if (swappiness === undefined) return;
  if (swappiness > 100) throw new OrchError('invalid-argument', `invalid memory swappiness value: ${swappiness} (valid range is 0-100)`);
  writeCgroupFile(C, dir, 'memory.swappiness', String(swappiness));
}

/** Go's uint64 -1 (2^64-1) means "leave it", as in runc. */
function swappinessOf(m: LinuxMemory): number | undefined {
  const value = m.swappiness;
  return value === undefined || value >= 2 ** 64 - 1 ? undefined : value;
}

/**
 * memory.memsw.limit_in_bytes (memory + swap) may never be below memory.limit_in_bytes, so the
 * order of the two writes depends on whether the limits grow or shrink (runc's setMemoryAndSwap).
 */
function setMemoryAndSwap(dir: string, limit: number, swapIn: number): void {
  let swap = swapIn;
  // unlimited memory without a swap value means unlimited swap too, where the kernel has swap accounting
  if (limit === -1 && swap === 0 && existsSync(join(dir, SWAP_LIMIT))) swap = -1;
  if (limit !== 0 && swap !== 0) {
    const current = readCgroupUint(C, dir, LIMIT);
    if (swap === -1 || current < BigInt(int64Text(swap))) {
      setSwap(dir, swap);
      setLimit(dir, limit);
      return;
    }
  }
  setLimit(dir, limit);
  setSwap(dir, swap);
}

function setLimit(dir: string, limit: number): void {
  if (limit === 0) return;
  try {
    writeCgroupFile(C, dir, LIMIT, int64Text(limit));
  } catch (err) {
    if (!hasErrno(err, 'EBUSY')) throw err;
    // EBUSY: the new limit is below what the cgroup uses now
    const usage = readCgroupUint(C, dir, 'memory.usage_in_bytes');
    const peak = readCgroupUint(C, dir, 'memory.max_usage_in_bytes');
    throw new OrchError('system', `cgroup memory: unable to set memory limit to ${int64Text(limit)} (current usage: ${usage}, peak usage: ${peak})`, { cause: err });
  }
}

function setSwap(dir: string, swap: number): void {
  if (swap !== 0) writeCgroupFile(C, dir, SWAP_LIMIT, int64Text(swap));
}

/** runc's fs.MemoryGroup.GetStats: nothing when memory.stat is missing. */
export function memoryStatsV1(dir: string, stats: CgroupStats): void {
  const text = readCgroupFileIfExists(C, dir, 'memory.stat');
  if (text === undefined) return;
  for (const [key, value] of parseKeyValues(text, join(dir, 'memory.stat'))) stats.memory.stats.set(key, value);
  stats.memory.cache = stats.memory.stats.get('cache') ?? 0n;
  stats.memory.usage = memoryData(dir, '');
  stats.memory.swapUsage = memoryData(dir, 'memsw');
  stats.memory.kernelUsage = memoryData(dir, 'kmem');
  stats.memory.kernelTcpUsage = memoryData(dir, 'kmem.tcp');
}

/** usage, max usage, failcnt and limit of memory[.name]; swap and kmem files are optional. */
function memoryData(dir: string, name: string): MemoryData {
  const prefix = name === '' ? 'memory' : `memory.${name}`;
  const usageFile = `${prefix}.usage_in_bytes`;
  const usageText = name === '' ? readCgroupFile(C, dir, usageFile) : readCgroupFileIfExists(C, dir, usageFile);
  const data = emptyMemoryData();
  if (usageText === undefined) return data;
  data.usage = parseCgroupUint(usageText, join(dir, usageFile));
  data.maxUsage = readCgroupUint(C, dir, `${prefix}.max_usage_in_bytes`);
  data.failcnt = readCgroupUint(C, dir, `${prefix}.failcnt`);
  // kmem.limit_in_bytes is gone from newer kernels
  const limitFile = `${prefix}.limit_in_bytes`;
  const limitText = name === 'kmem' ? readCgroupFileIfExists(C, dir, limitFile) : readCgroupFile(C, dir, limitFile);
  if (limitText !== undefined) data.limit = parseCgroupUint(limitText, join(dir, limitFile));
  return data;
}
