import { mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CGROUP_SUPER_MAGIC } from '../hierarchy.js';

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
