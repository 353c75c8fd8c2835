import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { hasErrno, readCgroupFile, writeCgroupFile } from './cgroup-file.js';
import { controllerDir } from './controller-dir.js';
import { sleepSync } from './sleep-sync.js';

/**
 * `pause` / `resume`: freezing every task of the container's cgroup, as runc's freezers do. Unlike
 * the best-effort freeze kill uses (v1/freezer.ts), these fail loudly, and a freeze that does not
 * complete is undone, so a container is never left half frozen.
 */
export function pauseCgroup(p: CgroupPlacement): void {
  if (p.version === 2) freezeV2(requireDir(p.paths[''], 'cgroup.freeze'));
  else freezeV1(requireDir(controllerDir(p, 'freezer'), 'freezer'));
}

export function resumeCgroup(p: CgroupPlacement): void {
  if (p.version === 2) {
    const dir = requireDir(p.paths[''], 'cgroup.freeze');
    try {
      writeCgroupFile('freezer', dir, 'cgroup.freeze', '0');
    } catch (err) {
      // no cgroup.freeze: nothing can be frozen, so nothing is
      if (!hasErrno(err, 'ENOENT')) throw err;
    }
    return;
  }
  writeCgroupFile('freezer', requireDir(controllerDir(p, 'freezer'), 'freezer'), 'freezer.state', 'THAWED');
}

function requireDir(dir: string | undefined, what: string): string {
  if (dir === undefined) throw new OrchError('unsupported', `cannot toggle freezer: cgroups not configured for container (no ${what})`);
  return dir;
}

/**
 * v1: FREEZING lasts while a task is in uninterruptible sleep or a fork races the freeze. runc's
 * loop: ask again each time (a new child is caught by the next request), and every 50 tries thaw
 * for 10 ms so a task stuck on a lock held by a frozen one can get past it; 1000 tries at most.
 */
function freezeV1(dir: string): void {
  try {
    for (let i = 0; i < 1000; i++) {
      if (i % 50 === 49) {
        writeCgroupFile('freezer', dir, 'freezer.state', 'THAWED');
        sleepSync(10);
      }
      writeCgroupFile('freezer', dir, 'freezer.state', 'FROZEN');
      if (i % 25 === 24) sleepSync(0.01);
      const state = readCgroupFile('freezer', dir, 'freezer.state').trim();
      if (state === 'FROZEN') return;
      if (state !== 'FREEZING') throw new OrchError('system', `unexpected state ${state} while freezing`);
    }
    throw new OrchError('system', 'unable to freeze');
  } catch (err) {
    try {
      writeCgroupFile('freezer', dir, 'freezer.state', 'THAWED');
    } catch {
      // the freeze's error is the one to report
    }
    throw err;
  }
}

/** v2: cgroup.freeze asks; cgroup.events says "frozen 1" once every task has stopped (up to 10 s, as runc waits). */
function freezeV2(dir: string): void {
  try {
    writeCgroupFile('freezer', dir, 'cgroup.freeze', '1');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new OrchError('unsupported', `freezer not supported: ${message}`, { cause: err });
  }
  try {
    for (let i = 0; i < 1000; i++) {
      if (/^frozen 1$/m.test(readCgroupFile('freezer', dir, 'cgroup.events'))) return;
      sleepSync(10);
    }
    throw new OrchError('system', 'timeout of 10s reached waiting for the cgroup to freeze');
  } catch (err) {
    try {
      writeCgroupFile('freezer', dir, 'cgroup.freeze', '0');
    } catch {
      // the freeze's error is the one to report
    }
    throw err;
  }
}
