import { mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LinuxCpu } from '../../config/spec-types.js';
import { readCgroupFileIfExists, writeCgroupFile } from '../cgroup-file.js';
import { parseCgroupInt, parseCgroupUint } from '../cgroup-values.js';
import { CGROUP_SUPER_MAGIC } from '../hierarchy.js';
import { parseCpuList } from '../cpu-list.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v1 cpuset controller: making its dirs (parents need cpus/mems first), limits and stats. */

/**
 * Makes a v1 cpuset cgroup dir. A new cpuset cgroup starts with empty cpuset.cpus/mems and no
 * task can join it until they are set, so each new level gets its parent's values, top down
 * (runc's cpusetEnsureParent + cpusetCopyIfNeeded).
 */
export function makeCpusetDir(dir: string): void {
  const parent = dirname(dir);
  if (parent !== dir && isCgroupDirOrMissing(parent)) makeCpusetDir(parent);
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (isCgroupDir(parent)) {
    copyIfEmpty(dir, parent, 'cpuset.cpus');
    copyIfEmpty(dir, parent, 'cpuset.mems');
  }
}

function copyIfEmpty(dir: string, parent: string, file: string): void {
  if (readFileSync(join(dir, file), 'utf8').trim() !== '') return;
  writeFileSync(join(dir, file), readFileSync(join(parent, file), 'utf8').trim());
}

// Above the hierarchy's mount point lies a tmpfs (or /); a dir that does not exist yet will be a cgroup.
function isCgroupDirOrMissing(dir: string): boolean {
  try {
    return statfsSync(dir).type === CGROUP_SUPER_MAGIC;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

function isCgroupDir(dir: string): boolean {
  try {
    return statfsSync(dir).type === CGROUP_SUPER_MAGIC;
  } catch {
    return false;
  }
}

export function cpusetIsSet(cpu: LinuxCpu | undefined): boolean {
  return (cpu?.cpus ?? '') !== '' || (cpu?.mems ?? '') !== '';
}

/** cpus and mems (an empty string leaves the inherited value). */
export function setCpusetV1(dir: string, cpu: LinuxCpu | undefined): void {
  if ((cpu?.cpus ?? '') !== '') writeCgroupFile('cpuset', dir, 'cpuset.cpus', cpu?.cpus ?? '');
  if ((cpu?.mems ?? '') !== '') writeCgroupFile('cpuset', dir, 'cpuset.mems', cpu?.mems ?? '');
}

/** runc's fs.CpusetGroup.GetStats: every file is optional. */
export function cpusetStatsV1(dir: string, stats: CgroupStats): void {
  const read = (name: string): string | undefined => readCgroupFileIfExists('cpuset', dir, `cpuset.${name}`);
  const uint = (name: string): bigint => {
    const text = read(name);
    return text === undefined ? 0n : parseCgroupUint(text, join(dir, `cpuset.${name}`));
  };
  const s = stats.cpuset;
  const cpus = read('cpus');
  if (cpus !== undefined) s.cpus = parseCpuList(cpus, join(dir, 'cpuset.cpus'));
  s.cpuExclusive = uint('cpu_exclusive');
  const mems = read('mems');
  if (mems !== undefined) s.mems = parseCpuList(mems, join(dir, 'cpuset.mems'));
  s.memHardwall = uint('mem_hardwall');
  s.memExclusive = uint('mem_exclusive');
  s.memoryMigrate = uint('memory_migrate');
  s.memorySpreadPage = uint('memory_spread_page');
  s.memorySpreadSlab = uint('memory_spread_slab');
  s.memoryPressure = uint('memory_pressure');
  s.schedLoadBalance = uint('sched_load_balance');
  const level = read('sched_relax_domain_level');
  s.schedRelaxDomainLevel = level === undefined ? 0n : parseCgroupInt(level, join(dir, 'cpuset.sched_relax_domain_level'));
}
