import { OrchError } from '../../errors/orch-error.js';
import { hasErrno, readCgroupFile, writeCgroupFile } from '../cgroup-file.js';
import { sleepSync } from '../sleep-sync.js';

/** Whether cgroup.freeze asks for frozen (what runc reports as "paused"). */
export function isFrozenV2(dir: string): boolean {
  try {
    return readCgroupFile('freezer', dir, 'cgroup.freeze').trim() === '1';
  } catch {
    return false;
  }
}

/**
 * cgroup.freeze asks; cgroup.events says "frozen 1" once every task has stopped (up to 10 s, as
 * runc waits). A freeze that does not complete is undone.
 */
export function freezeV2(dir: string): void {
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

export function thawV2(dir: string): void {
  try {
    writeCgroupFile('freezer', dir, 'cgroup.freeze', '0');
  } catch (err) {
    // no cgroup.freeze: nothing can be frozen, so nothing is
    if (!hasErrno(err, 'ENOENT')) throw err;
  }
}
