import type { LinuxResources } from '../config/spec-types.js';
import { OrchError } from '../errors/orch-error.js';
import type { FlagTable, FlagValues } from './args.js';

/** runc's update flags (runc 1.5), and how they become the LinuxResources change update applies. */
export const UPDATE_FLAGS = {
  resources: { kind: 'string', alias: 'r', usage: "file with a LinuxResources JSON, or '-' for stdin; all other options are then ignored" },
  'blkio-weight': { kind: 'int', usage: 'block IO weight, 10 to 1000' },
  'cpu-period': { kind: 'string', usage: 'CPU CFS period in microseconds (0: the system default)' },
  'cpu-quota': { kind: 'string', usage: 'CPU CFS quota in microseconds per period (-1: none)' },
  'cpu-burst': { kind: 'string', usage: 'CPU CFS burst in microseconds, on top of the quota' },
  'cpu-share': { kind: 'string', usage: 'CPU shares (relative weight; cpu.weight on cgroup v2)' },
  'cpu-rt-period': { kind: 'string', usage: 'realtime period in microseconds (cgroup v1)' },
  'cpu-rt-runtime': { kind: 'string', usage: 'realtime runtime in microseconds per period (cgroup v1)' },
  'cpuset-cpus': { kind: 'string', usage: 'CPUs to run on, e.g. 0-3,6' },
  'cpuset-mems': { kind: 'string', usage: 'memory nodes to use, e.g. 0' },
  'kernel-memory': { kind: 'string', usage: '(obsolete: ignored)' },
  'kernel-memory-tcp': { kind: 'string', usage: '(obsolete: ignored)' },
  memory: { kind: 'string', usage: 'memory limit in bytes (suffixes k, m, g …; -1: none)' },
  'cpu-idle': { kind: 'string', usage: '1: SCHED_IDLE for the cgroup, 0: normal' },
  'memory-reservation': { kind: 'string', usage: 'memory soft limit in bytes' },
  'memory-swap': { kind: 'string', usage: 'memory plus swap limit in bytes (-1: unlimited swap)' },
  'pids-limit': { kind: 'int', usage: 'maximum number of processes' },
  'l3-cache-schema': { kind: 'string', usage: 'Intel RDT/CAT L3 cache schema' },
  'mem-bw-schema': { kind: 'string', usage: 'Intel RDT/MBA memory bandwidth schema' },
} as const satisfies FlagTable;

export type UpdateFlags = FlagValues<typeof UPDATE_FLAGS>;

/**
 * The change the flags ask for, parsed as runc parses them (strconv for the numbers, go-units'
 * RAMInBytes for sizes); flags left out are absent. Not used when --resources is given.
 */
export function resourcesFromFlags(flags: UpdateFlags): LinuxResources {
  const memory: NonNullable<LinuxResources['memory']> = {};
  const cpu: NonNullable<LinuxResources['cpu']> = {};
  const r: LinuxResources = {};
  const weight = flags['blkio-weight'];
  if (weight !== undefined && weight !== 0) r.blockIO = { weight };
  if ((flags['cpuset-cpus'] ?? '') !== '') cpu.cpus = flags['cpuset-cpus'];
  if ((flags['cpuset-mems'] ?? '') !== '') cpu.mems = flags['cpuset-mems'];
  const idle = flags['cpu-idle'];
  if (idle !== undefined && idle !== '') cpu.idle = parseGoInt(idle, 'cpu-idle');
  for (const [flag, key] of [
    ['cpu-burst', 'burst'],
    ['cpu-period', 'period'],
    ['cpu-rt-period', 'realtimePeriod'],
    ['cpu-share', 'shares'],
  ] as const) {
    const value = flags[flag];
    if (value !== undefined && value !== '') cpu[key] = parseGoUint(value, flag);
  }
  for (const [flag, key] of [
    ['cpu-quota', 'quota'],
    ['cpu-rt-runtime', 'realtimeRuntime'],
  ] as const) {
    const value = flags[flag];
    if (value !== undefined && value !== '') cpu[key] = parseGoInt(value, flag);
  }
  for (const [flag, key] of [
    ['memory', 'limit'],
    ['memory-swap', 'swap'],
    ['kernel-memory', 'kernel'],
    ['kernel-memory-tcp', 'kernelTCP'],
    ['memory-reservation', 'reservation'],
  ] as const) {
    const value = flags[flag];
    if (value === undefined || value === '') continue;
    memory[key] = value === '-1' ? -1 : ramInBytes(value, flag);
  }
  if (flags['pids-limit'] !== undefined) r.pids = { limit: flags['pids-limit'] };
  if (Object.keys(memory).length > 0) r.memory = memory;
  if (Object.keys(cpu).length > 0) r.cpu = cpu;
  return r;
}

/** strconv.ParseUint(s, 10, 64), with runc's message around Go's. */
export function parseGoUint(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw invalid(flag, `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = BigInt(text);
  if (n >= 1n << 64n) throw invalid(flag, `strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return Number(n);
}

/** strconv.ParseInt(s, 10, 64). */
export function parseGoInt(text: string, flag: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw invalid(flag, `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = BigInt(text);
  if (n >= 1n << 63n || n < -(1n << 63n)) throw invalid(flag, `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  return Number(n);
}

const BINARY_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * go-units RAMInBytes: a decimal number, an optional space, an optional unit k/m/g/t/p (powers of
 * 1024, any case) optionally followed by "b" or "ib"; a bare "b" is bytes. "512m", "1.5G", "64 KiB".
 */
export function ramInBytes(text: string, flag: string): number {
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text[i] ?? '')) {
      sep = i;
      break;
    }
  }
  if (sep < 0) throw invalid(flag, `invalid size: '${text}'`);
  const num = text[sep] === ' ' ? text.slice(0, sep) : text.slice(0, sep + 1);
  const suffix = text.slice(sep + 1);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) throw invalid(flag, `strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax`);
  let size = Number(num);
  if (size < 0) throw invalid(flag, `invalid size: '${text}'`);
  if (suffix !== '') {
    const sfx = suffix.toLowerCase();
    const unit = BINARY_UNITS[sfx[0] ?? ''];
    const badSuffix = (): OrchError => invalid(flag, `invalid suffix: '${sfx}'`);
    if (sfx.length > 3) throw badSuffix();
    if (sfx[0] === 'b') {
      if (sfx.length > 1) throw badSuffix();
    } else {
      if (unit === undefined) throw badSuffix();
      if ((sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) throw badSuffix();
      size *= unit;
    }
  }
  return Math.trunc(size);
}

function invalid(flag: string, detail: string): OrchError {
  return new OrchError('invalid-argument', `invalid value for ${flag}: ${detail}`);
}
