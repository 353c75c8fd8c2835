import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import { readCgroupFile, readCgroupFileIfExists } from '../cgroup-file.js';
import { parseCgroupUint, readCgroupUint } from '../cgroup-values.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v1 cpuacct controller: CPU time used (runc's fs.CpuacctGroup.GetStats); it has no limits. */

const C = 'cpuacct';
const NS_PER_SEC = 1_000_000_000n;
/** cpuacct.stat counts USER_HZ ticks, 100 on every Linux ABI */
const CLOCK_TICKS = 100n;

export function cpuacctStatsV1(dir: string, stats: CgroupStats): void {
  if (!existsSync(dir)) return;
  const { user, kernel } = usageBreakdown(dir);
  const usage = stats.cpu.usage;
  usage.total = readCgroupUint(C, dir, 'cpuacct.usage');
  usage.percpu = readCgroupFile(C, dir, 'cpuacct.usage_percpu')
    .split(/\s+/)
    .filter((v) => v !== '')
    .map((v) => parseCgroupUint(v, join(dir, 'cpuacct.usage_percpu')));
  const modes = percpuInModes(dir);
  usage.percpuKernel = modes.kernel;
  usage.percpuUser = modes.user;
  usage.user = user;
  usage.kernel = kernel;
}

/** cpuacct.stat: "user N\nsystem M\n" in ticks, as nanoseconds. */
function usageBreakdown(dir: string): { user: bigint; kernel: bigint } {
  const where = join(dir, 'cpuacct.stat');
  const text = readCgroupFile(C, dir, 'cpuacct.stat');
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length < 4 || fields[0] !== 'user' || fields[2] !== 'system') {
    throw new OrchError('system', `${where}: malformed line ${JSON.stringify(text)}`);
  }
  return {
    user: (parseCgroupUint(fields[1] ?? '', where) * NS_PER_SEC) / CLOCK_TICKS,
    kernel: (parseCgroupUint(fields[3] ?? '', where) * NS_PER_SEC) / CLOCK_TICKS,
  };
}

/** cpuacct.usage_all: a "cpu user system" header, then one line per CPU (absent on old kernels). */
function percpuInModes(dir: string): { kernel: bigint[]; user: bigint[] } {
  const where = join(dir, 'cpuacct.usage_all');
  const text = readCgroupFileIfExists(C, dir, 'cpuacct.usage_all');
  const kernel: bigint[] = [];
  const user: bigint[] = [];
  if (text === undefined) return { kernel, user };
  const [header, ...lines] = text.split('\n');
  if (!(header ?? '').startsWith('cpu user system')) throw new OrchError('system', `${where}: malformed line ${JSON.stringify(header)}`);
  for (const line of lines) {
    const fields = line.split(' ');
    if (fields.length < 3) continue;
    user.push(parseCgroupUint(fields[1] ?? '', where));
    kernel.push(parseCgroupUint(fields[2] ?? '', where));
  }
  return { kernel, user };
}
