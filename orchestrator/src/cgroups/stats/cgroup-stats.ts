/**
 * A container's cgroup statistics, field for field as runc's libcontainer/cgroups.Stats, before
 * they become the `events` JSON (event-data.ts). u64 counters are bigint.
 */

export interface MemoryData {
  usage: bigint;
  maxUsage: bigint;
  failcnt: bigint;
  limit: bigint;
}

export interface BlkioStatEntry {
  major: bigint;
  minor: bigint;
  op: string;
  value: bigint;
}

export interface PsiData {
  avg10: number;
  avg60: number;
  avg300: number;
  total: bigint;
}

export interface PsiStats {
  some: PsiData;
  full: PsiData;
}

export interface CpuStats {
  usage: {
    total: bigint;
    /** undefined where the kernel has no per-CPU counters (v2): Go's nil, which makes a zero usage "omitzero" */
    percpu?: bigint[];
    percpuKernel?: bigint[];
    percpuUser?: bigint[];
    kernel: bigint;
    user: bigint;
  };
  throttling: { periods: bigint; throttledPeriods: bigint; throttledTime: bigint };
  psi?: PsiStats;
}

export interface CpusetStats {
  cpus: number[];
  cpuExclusive: bigint;
  mems: number[];
  memHardwall: bigint;
  memExclusive: bigint;
  memoryMigrate: bigint;
  memorySpreadPage: bigint;
  memorySpreadSlab: bigint;
  memoryPressure: bigint;
  schedLoadBalance: bigint;
  schedRelaxDomainLevel: bigint;
}

export interface MemoryStats {
  cache: bigint;
  usage: MemoryData;
  swapUsage: MemoryData;
  kernelUsage: MemoryData;
  kernelTcpUsage: MemoryData;
  /** memory.stat, key -> value */
  stats: Map<string, bigint>;
  psi?: PsiStats;
}

export interface BlkioStats {
  ioServiceBytesRecursive: BlkioStatEntry[];
  ioServicedRecursive: BlkioStatEntry[];
  ioQueuedRecursive: BlkioStatEntry[];
  ioServiceTimeRecursive: BlkioStatEntry[];
  ioWaitTimeRecursive: BlkioStatEntry[];
  ioMergedRecursive: BlkioStatEntry[];
  ioTimeRecursive: BlkioStatEntry[];
  sectorsRecursive: BlkioStatEntry[];
  psi?: PsiStats;
}

export interface HugetlbStats {
  usage: bigint;
  maxUsage: bigint;
  failcnt: bigint;
}

/** A cgroup's statistics as runc's types.Stats has them (counters as bigint): what stats() and events --stats give. */
export interface CgroupStats {
  cpu: CpuStats;
  cpuset: CpusetStats;
  memory: MemoryStats;
  pids: { current: bigint; limit: bigint };
  blkio: BlkioStats;
  /** page size ("2MB") -> stats */
  hugetlb: Map<string, HugetlbStats>;
}

export function emptyMemoryData(): MemoryData {
  return { usage: 0n, maxUsage: 0n, failcnt: 0n, limit: 0n };
}

export function emptyCgroupStats(): CgroupStats {
  return {
    cpu: {
      usage: { total: 0n, kernel: 0n, user: 0n },
      throttling: { periods: 0n, throttledPeriods: 0n, throttledTime: 0n },
    },
    cpuset: {
      cpus: [],
      cpuExclusive: 0n,
      mems: [],
      memHardwall: 0n,
      memExclusive: 0n,
      memoryMigrate: 0n,
      memorySpreadPage: 0n,
      memorySpreadSlab: 0n,
      memoryPressure: 0n,
      schedLoadBalance: 0n,
      schedRelaxDomainLevel: 0n,
    },
    memory: {
      cache: 0n,
      usage: emptyMemoryData(),
      swapUsage: emptyMemoryData(),
      kernelUsage: emptyMemoryData(),
      kernelTcpUsage: emptyMemoryData(),
      stats: new Map(),
    },
    pids: { current: 0n, limit: 0n },
    blkio: {
      ioServiceBytesRecursive: [],
      ioServicedRecursive: [],
      ioQueuedRecursive: [],
      ioServiceTimeRecursive: [],
      ioWaitTimeRecursive: [],
      ioMergedRecursive: [],
      ioTimeRecursive: [],
      sectorsRecursive: [],
    },
    hugetlb: new Map(),
  };
}
