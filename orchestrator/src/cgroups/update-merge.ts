import type { LinuxBlockIO, LinuxResources } from '../config/spec-types.js';
import { THROTTLE_KINDS, type ThrottleDevice, type WeightDevice } from './blkio-device.js';

/**
 * The resources a container has after `update`, from what it had and what update was given, by
 * runc's rules (update.go): memory, shares, realtime, weights are replaced when given; per-device
 * weights and throttles are updated in place or appended; cpu quota and period are set together
 * unless only one is given (the other keeps its value); burst, idle, cpus, mems, the pids limit and
 * unified are taken as given, absent included. Devices, hugepages, network and rdma are never
 * changed by update. The result is applied whole (skipping devices), as runc's Set does.
 */
export function mergeResourceUpdate(current: LinuxResources, change: LinuxResources): LinuxResources {
  const out: LinuxResources = structuredClone(current);
  const memory = { ...change.memory };
  const cpu = { ...change.cpu };

  // runc's fix-ups: -1 (unlimited) memory without a swap value means "leave swap" rather than an error,
  // and idle without shares must not write a weight
  if (memory.limit === -1 && memory.swap === undefined) memory.swap = 0;
  if (cpu.idle !== undefined && cpu.shares === undefined) cpu.shares = 0;

  out.blockIO = mergeBlockIO(out.blockIO ?? {}, change.blockIO ?? {});

  const c = { ...out.cpu };
  const period = cpu.period ?? 0;
  const quota = cpu.quota ?? 0;
  if ((period === 0) === (quota === 0)) {
    c.period = period;
    c.quota = quota;
  } else if (period !== 0) {
    c.period = period;
  } else {
    c.quota = quota;
  }
  setOrDelete(c, 'burst', cpu.burst);
  if (cpu.shares !== undefined) c.shares = cpu.shares;
  if (cpu.realtimePeriod !== undefined) c.realtimePeriod = cpu.realtimePeriod;
  if (cpu.realtimeRuntime !== undefined) c.realtimeRuntime = cpu.realtimeRuntime;
  setOrDelete(c, 'cpus', cpu.cpus);
  setOrDelete(c, 'mems', cpu.mems);
  setOrDelete(c, 'idle', cpu.idle);
  out.cpu = c;

  const m = { ...out.memory };
  if (memory.limit !== undefined) m.limit = memory.limit;
  if (memory.reservation !== undefined) m.reservation = memory.reservation;
  if (memory.swap !== undefined) m.swap = memory.swap;
  // update's own default: check nothing unless asked to
  m.checkBeforeUpdate = memory.checkBeforeUpdate ?? false;
  out.memory = m;

  if (change.pids?.limit !== undefined) out.pids = { limit: change.pids.limit };
  else delete out.pids;
  if (change.unified !== undefined) out.unified = { ...change.unified };
  else delete out.unified;
  return out;
}

function mergeBlockIO(current: LinuxBlockIO, change: LinuxBlockIO): LinuxBlockIO {
  const out: LinuxBlockIO = { ...current };
  if (change.weight !== undefined) out.weight = change.weight;
  if (change.leafWeight !== undefined) out.leafWeight = change.leafWeight;
  let weights = [...(current.weightDevice ?? [])];
  for (const wd of change.weightDevice ?? []) weights = upsertWeight(weights, wd);
  if (weights.length > 0) out.weightDevice = weights;
  for (const kind of THROTTLE_KINDS) {
    let list = [...(current[kind] ?? [])];
    for (const td of change[kind] ?? []) list = upsertThrottle(list, td);
    if (list.length > 0) out[kind] = list;
  }
  return out;
}

/** The last entry for the device is the one the kernel keeps: that one is updated. */
function upsertWeight(list: WeightDevice[], wd: WeightDevice): WeightDevice[] {
  for (let i = list.length - 1; i >= 0; i--) {
    const d = list[i];
    if (d === undefined || d.major !== wd.major || d.minor !== wd.minor) continue;
    const next = { ...d };
    if (wd.weight !== undefined) next.weight = wd.weight;
    if (wd.leafWeight !== undefined) next.leafWeight = wd.leafWeight;
    list[i] = next;
    return list;
  }
  return [...list, { ...wd }];
}

function upsertThrottle(list: ThrottleDevice[], td: ThrottleDevice): ThrottleDevice[] {
  for (let i = list.length - 1; i >= 0; i--) {
    const d = list[i];
    if (d === undefined || d.major !== td.major || d.minor !== td.minor) continue;
    list[i] = { ...d, rate: td.rate };
    return list;
  }
  return [...list, { ...td }];
}

function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
