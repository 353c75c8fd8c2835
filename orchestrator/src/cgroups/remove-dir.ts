import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemError } from '../errors/orch-error.js';
import { subCgroups } from './procs.js';
import { sleepSync } from './sleep-sync.js';

// ~1.3 s in all: a killed task can take a moment to leave, and rmdir says EBUSY until it has.
const RETRY_DELAYS_MS = [10, 20, 40, 80, 160, 320, 640];

/**
 * Removes a cgroup dir and the sub-cgroups a container made inside it (deepest first: cgroupfs
 * only allows rmdir of an empty cgroup, its files do not count). A dir already gone is fine.
 */
export function removeCgroupDir(dir: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      removeTree(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const delay = RETRY_DELAYS_MS[attempt];
      if ((code !== 'EBUSY' && code !== 'ENOTEMPTY') || delay === undefined) {
        throw systemError(`remove cgroup ${dir}`, err);
      }
      sleepSync(delay);
    }
  }
}

function removeTree(dir: string): void {
  for (const child of subCgroups(dir)) removeTree(join(dir, child));
  try {
    rmdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
