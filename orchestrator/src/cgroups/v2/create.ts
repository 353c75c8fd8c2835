import { mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CGROUP2_SUPER_MAGIC } from '../hierarchy.js';

/**
 * Makes a v2 cgroup dir and, in every level above it down from the mount point, enables the
 * controllers that level has, so the new cgroup gets them (runc's fs2 CreateCgroupPath). Enabling
 * is best effort: a level with processes of its own, or a delegated tree, refuses some, and the
 * limits that need them fail later with a clearer error.
 */
export function makeV2Dir(dir: string): void {
  const levels: string[] = [];
  for (let d = dir; isCgroup2OrMissing(dirname(d)) && dirname(d) !== d; d = dirname(d)) levels.unshift(dirname(d));
  for (const level of levels) {
    mkdirIfMissing(level);
    enableControllers(level);
  }
  mkdirIfMissing(dir);
}

function enableControllers(dir: string): void {
  let available: string[];
  try {
    available = readFileSync(join(dir, 'cgroup.controllers'), 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return;
  }
  if (available.length === 0) return;
  const file = join(dir, 'cgroup.subtree_control');
  try {
    writeFileSync(file, available.map((c) => `+${c}`).join(' '));
  } catch {
    // one at a time: one refused controller fails the whole write
    for (const c of available) {
      try {
        writeFileSync(file, `+${c}`);
      } catch {
        // see above: best effort
      }
    }
  }
}

function mkdirIfMissing(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function isCgroup2OrMissing(dir: string): boolean {
  try {
    return statfsSync(dir).type === CGROUP2_SUPER_MAGIC;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}
