import { OrchError } from '../../errors/orch-error.js';
import { logger } from '../../log/logger.js';
import type { LinuxResources } from '../../config/spec-types.js';
import { parseCpuList } from '../cpu-list.js';
import { cpuSharesToWeight } from '../v2/cpu.js';
import { swapMaxV2 } from '../v2/memory.js';
import { Variant } from './dbus/wire.js';
import type { UnitProperty } from './systemd-manager.js';

/** systemd's USEC_INFINITY / "infinity" for the *Max properties */
const INFINITY = 0xffff_ffff_ffff_ffffn;
const DEFAULT_PERIOD = 100_000;

export interface ResourceProperties {
  properties: UnitProperty[];
  /**
   * The resources to write to cgroupfs after the unit has them: the same as given, except a CPU
   * quota rounded up to what systemd can express, so both agree (runc's addCPUQuota).
   */
  resources: LinuxResources;
}

/**
 * linux.resources as systemd unit properties (runc's genV1ResourcesProperties and
 * genV2ResourcesProperties, and docs/systemd.md's tables). What systemd cannot express is left to
 * the cgroupfs writes that follow. Device rules are separate (device-properties.ts).
 */
export function resourceProperties(version: 1 | 2, r: LinuxResources, sdVersion: number): ResourceProperties {
  const props: UnitProperty[] = [];
  const add = (name: string, signature: string, value: bigint | boolean | string | Buffer): void => {
    props.push([name, new Variant(signature, value)]);
  };
  const u64 = (n: number): bigint => BigInt(n);
  const memory = r.memory ?? {};
  const cpu = r.cpu ?? {};
  let quota = cpu.quota ?? 0;

  if (version === 1) {
    if ((memory.limit ?? 0) !== 0) add('MemoryLimit', 't', limitValue(memory.limit ?? 0));
    if ((cpu.shares ?? 0) !== 0) add('CPUShares', 't', u64(cpu.shares ?? 0));
    quota = addCpuQuota(add, quota, cpu.period ?? 0, sdVersion);
    if ((r.blockIO?.weight ?? 0) !== 0) add('BlockIOWeight', 't', u64(r.blockIO?.weight ?? 0));
  } else {
    if ((memory.limit ?? 0) !== 0) add('MemoryMax', 't', limitValue(memory.limit ?? 0));
    if ((memory.reservation ?? 0) !== 0) add('MemoryLow', 't', limitValue(memory.reservation ?? 0));
    const swap = swapMaxV2(memory.swap ?? 0, memory.limit ?? 0);
    if (swap !== 0) add('MemorySwapMax', 't', limitValue(swap));
    const idle = cpu.idle === 1 && sdVersion >= 252;
    if (idle) add('CPUWeight', 't', 0n);
    const weight = cpuSharesToWeight(cpu.shares ?? 0);
    if (weight !== 0) {
      if (idle) logger().warn('unable to apply both CPUWeight and CpuIdle to systemd, ignoring CPUWeight');
      else add('CPUWeight', 't', u64(weight));
    }
    quota = addCpuQuota(add, quota, cpu.period ?? 0, sdVersion);
  }

  const pids = r.pids?.limit;
  if (pids !== undefined) add('TasksMax', 't', pids < 0 ? INFINITY : pids === 0 ? 1n : u64(pids));

  for (const [field, property, text] of [
    ['cpus', 'AllowedCPUs', cpu.cpus],
    ['mems', 'AllowedMemoryNodes', cpu.mems],
  ] as const) {
    if (text === undefined || text === '') continue;
    if (sdVersion < 244) {
      logger().debug(`systemd v${sdVersion} is too old for ${property} (set through cgroupfs only)`);
      continue;
    }
    add(property, 'ay', rangeToBits(text, `linux.resources.cpu.${field}`));
  }

  if (version === 2 && r.unified !== undefined) props.push(...unifiedProperties(r.unified, sdVersion));

  const resources = quota === (cpu.quota ?? 0) ? r : { ...r, cpu: { ...cpu, quota } };
  return { properties: props, resources };
}

/**
 * CPUQuotaPeriodUSec (systemd 242+) and CPUQuotaPerSecUSec. systemd keeps the quota as a whole
 * percentage of a CPU, so a quota between two steps is rounded up to the next 10 ms per second;
 * the returned quota is the rounded one, for cgroupfs.
 */
function addCpuQuota(add: (name: string, sig: string, value: bigint) => void, quota: number, period: number, sdVersion: number): number {
  if (period !== 0) {
    if (sdVersion >= 242) add('CPUQuotaPeriodUSec', 't', BigInt(period));
    else logger().debug(`systemd v${sdVersion} is too old for CPUQuotaPeriodUSec (set through cgroupfs only)`);
  }
  if (quota === 0 && period === 0) return quota;
  let perSec = INFINITY;
  if (quota > 0) {
    const p = period === 0 ? DEFAULT_PERIOD : period;
    let usec = Math.floor((quota * 1_000_000) / p);
    if (usec % 10_000 !== 0) {
      usec = (Math.floor(usec / 10_000) + 1) * 10_000;
      quota = Math.floor((usec * p) / 1_000_000);
    }
    perSec = BigInt(usec);
  }
  add('CPUQuotaPerSecUSec', 't', perSec);
  return quota;
}

/** unified keys systemd has a property for (runc's unifiedResToSystemdProps); the rest go to cgroupfs only. */
function unifiedProperties(unified: Record<string, string>, sdVersion: number): UnitProperty[] {
  const props: UnitProperty[] = [];
  const add = (name: string, sig: string, value: bigint | Buffer): void => {
    props.push([name, new Variant(sig, value)]);
  };
  const idle = (unified['cpu.idle'] ?? '').trim() === '1' && sdVersion >= 252;
  for (const [key, raw] of Object.entries(unified)) {
    const where = `linux.resources.unified[${JSON.stringify(key)}]`;
    if (key.includes('/')) throw new OrchError('invalid-config', `${where}: must be a file name (no slashes)`);
    if (key.indexOf('.') <= 0) throw new OrchError('invalid-config', `${where}: must be in the form CONTROLLER.PARAMETER`);
    const value = raw.trim();
    switch (key) {
      case 'cpu.idle':
        if (idle) add('CPUWeight', 't', 0n);
        break;
      case 'cpu.max': {
        const fields = value.split(/\s+/);
        if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new OrchError('invalid-config', `${where}: invalid value ${JSON.stringify(value)}`);
        const quota = fields[0] === 'max' ? 0 : integer(fields[0] ?? '', where);
        const period = fields[1] === undefined ? DEFAULT_PERIOD : integer(fields[1], where);
        addCpuQuota(add, quota, period, sdVersion);
        break;
      }
      case 'cpu.weight':
        if (idle) logger().warn('unable to apply both cpu.weight and cpu.idle to systemd, ignoring cpu.weight');
        else add('CPUWeight', 't', BigInt(integer(value, where)));
        break;
      case 'cpuset.cpus':
      case 'cpuset.mems':
        if (sdVersion >= 244) add(key === 'cpuset.cpus' ? 'AllowedCPUs' : 'AllowedMemoryNodes', 'ay', rangeToBits(value, where));
        break;
      case 'memory.high':
      case 'memory.low':
      case 'memory.min':
      case 'memory.max':
      case 'memory.swap.max': {
        const names: Record<string, string> = { 'memory.high': 'MemoryHigh', 'memory.low': 'MemoryLow', 'memory.min': 'MemoryMin', 'memory.max': 'MemoryMax', 'memory.swap.max': 'MemorySwapMax' };
        add(names[key] ?? key, 't', value === 'max' ? INFINITY : BigInt(integer(value, where)));
        break;
      }
      case 'pids.max': {
        const n = value === 'max' ? INFINITY : BigInt(integer(value, where));
        add('TasksMax', 't', n === 0n ? 1n : n);
        break;
      }
      default:
        logger().debug(`unified ${key}: no systemd property (set through cgroupfs only)`);
    }
  }
  return props;
}

/** -1 is systemd's "infinity"; other values as they are. */
function limitValue(n: number): bigint {
  return n < 0 ? INFINITY : BigInt(n);
}

function integer(text: string, where: string): number {
  if (!/^\d+$/.test(text)) throw new OrchError('invalid-config', `${where}: ${JSON.stringify(text)} is not a number`);
  return Number(text);
}

/**
 * A CPU or memory-node list as systemd's AllowedCPUs bitmask: byte 0 holds CPUs 0-7 (bit n is
 * CPU n), the last byte the highest set CPU (runc's RangeToBits).
 */
export function rangeToBits(list: string, where: string): Buffer {
  let numbers: number[];
  try {
    numbers = parseCpuList(list, where);
  } catch (err) {
    throw new OrchError('invalid-config', err instanceof Error ? err.message : String(err));
  }
  const bytes = Buffer.alloc(Math.floor(Math.max(...numbers) / 8) + 1);
  for (const n of numbers) bytes[n >> 3] = (bytes[n >> 3] ?? 0) | (1 << (n & 7));
  return bytes;
}
