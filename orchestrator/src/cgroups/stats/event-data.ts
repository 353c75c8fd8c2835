import type { GoJsonValue } from './go-json.js';
import type { BlkioStatEntry, CgroupStats, MemoryData, PsiStats } from './cgroup-stats.js';

/**
 * The `data` of a "stats" event: runc's types.Stats (runc/types/events.go), key for key, with its
 * omitempty / omitzero rules applied the way Go applies them, so clients decoding runc's events
 * (containerd, podman) read the same fields.
 */
type JsonObject = { [key: string]: GoJsonValue };

export function statsEventData(s: CgroupStats): JsonObject {
  return {
    cpu: cpu(s.cpu),
    cpuset: cpuset(s.cpuset),
    memory: memory(s.memory),
    pids: omitEmpty({ current: s.pids.current, limit: s.pids.limit }),
    blkio: blkio(s.blkio),
    hugetlb: Object.fromEntries(
      [...s.hugetlb.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([size, h]) => [size, { ...omitEmpty({ usage: h.usage, max: h.maxUsage }), failcnt: h.failcnt }]),
    ),
    // orch has no Intel RDT; runc prints the empty struct
    intel_rdt: {},
    // runc fills this only for veth interfaces libcontainer itself created: never from its CLI
    network_interfaces: null,
  };
}

function cpu(c: CgroupStats['cpu']): JsonObject {
  const out: JsonObject = {};
  const u = c.usage;
  // omitzero: a struct whose fields are all zero (nil slices included) is left out
  const usageZero = u.total === 0n && u.kernel === 0n && u.user === 0n && u.percpu === undefined && u.percpuKernel === undefined && u.percpuUser === undefined;
  if (!usageZero) {
    out['usage'] = {
      ...omitEmpty({ total: u.total }),
      ...nonEmptyList('percpu', u.percpu),
      ...nonEmptyList('percpu_kernel', u.percpuKernel),
      ...nonEmptyList('percpu_user', u.percpuUser),
      kernel: u.kernel,
      user: u.user,
    };
  }
  const t = c.throttling;
  const throttling = omitEmpty({ periods: t.periods, throttledPeriods: t.throttledPeriods, throttledTime: t.throttledTime });
  if (Object.keys(throttling).length > 0) out['throttling'] = throttling;
  if (c.psi !== undefined) out['psi'] = psi(c.psi);
  return out;
}

function cpuset(c: CgroupStats['cpuset']): JsonObject {
  return {
    ...nonEmptyList('cpus', c.cpus),
    cpu_exclusive: c.cpuExclusive,
    ...nonEmptyList('mems', c.mems),
    mem_hardwall: c.memHardwall,
    mem_exclusive: c.memExclusive,
    memory_migrate: c.memoryMigrate,
    memory_spread_page: c.memorySpreadPage,
    memory_spread_slab: c.memorySpreadSlab,
    memory_pressure: c.memoryPressure,
    sched_load_balance: c.schedLoadBalance,
    sched_relax_domain_level: c.schedRelaxDomainLevel,
  };
}

function memory(m: CgroupStats['memory']): JsonObject {
  const out: JsonObject = { ...omitEmpty({ cache: m.cache }) };
  for (const [key, data] of [
    ['usage', m.usage],
    ['swap', m.swapUsage],
    ['kernel', m.kernelUsage],
    ['kernelTCP', m.kernelTcpUsage],
  ] as const) {
    if (!memoryDataZero(data)) out[key] = { limit: data.limit, ...omitEmpty({ usage: data.usage, max: data.maxUsage }), failcnt: data.failcnt };
  }
  if (m.stats.size > 0) out['raw'] = Object.fromEntries([...m.stats.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (m.psi !== undefined) out['psi'] = psi(m.psi);
  return out;
}

function blkio(b: CgroupStats['blkio']): JsonObject {
  return {
    ...nonEmptyEntries('ioServiceBytesRecursive', b.ioServiceBytesRecursive),
    ...nonEmptyEntries('ioServicedRecursive', b.ioServicedRecursive),
    // runc's tag says "ioQueueRecursive" (sic)
    ...nonEmptyEntries('ioQueueRecursive', b.ioQueuedRecursive),
    ...nonEmptyEntries('ioServiceTimeRecursive', b.ioServiceTimeRecursive),
    ...nonEmptyEntries('ioWaitTimeRecursive', b.ioWaitTimeRecursive),
    ...nonEmptyEntries('ioMergedRecursive', b.ioMergedRecursive),
    ...nonEmptyEntries('ioTimeRecursive', b.ioTimeRecursive),
    ...nonEmptyEntries('sectorsRecursive', b.sectorsRecursive),
    ...(b.psi !== undefined ? { psi: psi(b.psi) } : {}),
  };
}

function psi(p: PsiStats): JsonObject {
  const data = (d: PsiStats['some']): JsonObject => ({ avg10: d.avg10, avg60: d.avg60, avg300: d.avg300, total: d.total });
  return { some: data(p.some), full: data(p.full) };
}

function memoryDataZero(d: MemoryData): boolean {
  return d.usage === 0n && d.maxUsage === 0n && d.failcnt === 0n && d.limit === 0n;
}

function nonEmptyEntries(key: string, entries: readonly BlkioStatEntry[]): JsonObject {
  if (entries.length === 0) return {};
  return { [key]: entries.map((e) => ({ ...omitEmpty({ major: e.major, minor: e.minor }), ...(e.op !== '' ? { op: e.op } : {}), ...omitEmpty({ value: e.value }) })) };
}

function nonEmptyList(key: string, list: ReadonlyArray<bigint | number> | undefined): JsonObject {
  return list === undefined || list.length === 0 ? {} : { [key]: [...list] };
}

/** Go's omitempty for integers: 0 is left out. */
function omitEmpty(fields: Record<string, bigint>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== 0n) out[key] = value;
  return out;
}
