import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import type { LinuxMemory } from '../../config/spec-types.js';
import { hasErrno, readCgroupFile, readCgroupFileIfExists, writeCgroupFile } from '../cgroup-file.js';
import { MAX_UINT64, parseCgroupUint, parseKeyValues, readCgroupUint } from '../cgroup-values.js';
import { int64Text } from '../spec-integer.js';
import { emptyMemoryData, type CgroupStats, type MemoryData } from '../stats/cgroup-stats.js';

/**
 * The v2 memory controller (runc's fs2 setMemory): memory.max, memory.swap.max (swap alone, where
 * the spec's swap is memory + swap), memory.low for the reservation. v2 has no swappiness and no
 * OOM-killer switch per cgroup: those fields are ignored, as runc ignores them.
 */

const C = 'memory';

export function memoryV2IsSet(m: LinuxMemory | undefined): boolean {
  return m !== undefined && ((m.limit ?? 0) !== 0 || (m.swap ?? 0) !== 0 || (m.reservation ?? 0) !== 0);
}

/**
 * The spec's memory+swap as memory.swap.max (runc's ConvertMemorySwapToCgroupV2Value): -1 is
 * "max", 0 "leave it"; otherwise swap minus memory, which needs a memory limit.
 */
export function swapMaxV2(swap: number, memory: number): number {
  if (memory === -1 && swap === 0) return -1; // unlimited memory, swap unset: both unlimited, as v1 does
  if (swap === -1 || swap === 0) return swap;
  if (memory === -1) return swap;
  if (memory === 0) throw new OrchError('invalid-config', 'unable to set swap limit without memory limit');
  if (memory < 0) throw new OrchError('invalid-config', `invalid memory value: ${memory}`);
  if (swap < memory) throw new OrchError('invalid-config', 'memory+swap limit should be >= memory limit');
  return swap - memory;
}

/** 0 is "leave it" (""), -1 "max". */
function numText(value: number): string {
  return value === 0 ? '' : value === -1 ? 'max' : int64Text(value);
}

export function setMemoryV2(dir: string, m: LinuxMemory | undefined): void {
  if (m === undefined || !memoryV2IsSet(m)) return;
  const limit = m.limit ?? 0;
  const swapIn = m.swap ?? 0;
  checkMemoryUsageV2(dir, m);
  const swap = swapMaxV2(swapIn, limit);
  let swapText = numText(swap);
  // memory+swap equal to memory: no swap at all
  if (swapText === '' && swap === 0 && swapIn > 0) swapText = '0';
  if (swapText !== '') {
    try {
      writeCgroupFile(C, dir, 'memory.swap.max', swapText);
    } catch (err) {
      // no swap accounting in this kernel: "unlimited" and "none" need no file
      if (!(hasErrno(err, 'ENOENT') && (swapText === 'max' || swapText === '0'))) throw err;
    }
  }
  const max = numText(limit);
  if (max !== '') writeCgroupFile(C, dir, 'memory.max', max);
  const low = numText(m.reservation ?? 0);
  if (low !== '') writeCgroupFile(C, dir, 'memory.low', low);
}

/** checkBeforeUpdate: refuse a limit at or below what the cgroup uses now, instead of OOM-killing it. */
/** memory.checkBeforeUpdate: a limit at or below the current usage is refused rather than set (it would OOM-kill). */
export function checkMemoryUsageV2(dir: string, m: LinuxMemory): void {
  const limit = m.limit ?? 0;
  const swap = m.swap ?? 0;
  if (m.checkBeforeUpdate !== true || (limit <= 0 && swap <= 0)) return;
  let usage: bigint;
  try {
    usage = readCgroupUint(C, dir, 'memory.current');
  } catch {
    return;
  }
  if (swap > 0 && BigInt(int64Text(swap)) <= usage) throw new OrchError('invalid-argument', `rejecting memory+swap limit ${int64Text(swap)} <= usage ${usage}`);
  if (limit > 0 && BigInt(int64Text(limit)) <= usage) throw new OrchError('invalid-argument', `rejecting memory limit ${int64Text(limit)} <= usage ${usage}`);
}

/** runc's fs2 statMemory (the root-cgroup /proc/meminfo fallback aside: a container is never the root). */
export function memoryStatsV2(dir: string, stats: CgroupStats): void {
  const text = readCgroupFile(C, dir, 'memory.stat');
  for (const [key, value] of parseKeyValues(text, join(dir, 'memory.stat'))) stats.memory.stats.set(key, value);
  stats.memory.cache = stats.memory.stats.get('file') ?? 0n;
  const usage = memoryData(dir, '');
  stats.memory.usage = usage;
  const swapOnly = memoryData(dir, 'swap');
  // v1 reports memory+swap; so does runc on v2
  const swap: MemoryData = { ...swapOnly, usage: swapOnly.usage + usage.usage, maxUsage: 0n };
  // Go adds uint64s with wrap-around
  if (swap.limit !== MAX_UINT64) swap.limit = (swap.limit + usage.limit) & MAX_UINT64;
  stats.memory.swapUsage = swap;
}

function memoryData(dir: string, name: string): MemoryData {
  const prefix = name === '' ? 'memory' : `memory.${name}`;
  const data = emptyMemoryData();
  const current = name === '' ? readCgroupFile(C, dir, `${prefix}.current`) : readCgroupFileIfExists(C, dir, `${prefix}.current`);
  if (current === undefined) return data;
  data.usage = parseCgroupUint(current, join(dir, `${prefix}.current`));
  data.limit = readCgroupUint(C, dir, `${prefix}.max`);
  // memory.peak is kernel >= 5.19
  const peak = readCgroupFileIfExists(C, dir, `${prefix}.peak`);
  if (peak !== undefined) data.maxUsage = parseCgroupUint(peak, join(dir, `${prefix}.peak`));
  return data;
}
