import { OrchError } from '../../errors/orch-error.js';
import { readCgroupFile, writeCgroupFile } from '../cgroup-file.js';
import { sleepSync } from '../sleep-sync.js';

/** v1 freezer.state: THAWED, FREEZING or FROZEN; undefined when the cgroup is gone. */
export function readFreezerState(dir: string): string | undefined {
  try {
    return readCgroupFile('freezer', dir, 'freezer.state').trim();
  } catch {
    return undefined;
  }
}

/**
 * FREEZING lasts while a task is in uninterruptible sleep or a fork races the freeze. runc's
 * loop: ask again each time (a new child is caught by the next request), and every 50 tries thaw
 * for 10 ms so a task stuck on a lock held by a frozen one can get past it; 1000 tries at most.
 * A freeze that does not complete is undone: a container is never left half frozen.
 */
export function freezeV1(dir: string): void {
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

export function thawV1(dir: string): void {
  writeCgroupFile('freezer', dir, 'freezer.state', 'THAWED');
}
