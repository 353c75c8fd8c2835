import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleepSync } from '../sleep-sync.js';

/** v1 freezer.state: THAWED, FREEZING or FROZEN; undefined when the cgroup is gone. */
export function readFreezerState(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, 'freezer.state'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Freezes and waits (up to ~1 s) until the kernel reports FROZEN: FREEZING lasts while tasks are
 * in uninterruptible sleep. Returns whether it got there.
 */
export function freezeV1(dir: string): boolean {
  writeFileSync(join(dir, 'freezer.state'), 'FROZEN');
  for (let waited = 0; waited < 1000; waited += 10) {
    if (readFreezerState(dir) === 'FROZEN') return true;
    sleepSync(10);
    // re-asking helps tasks that forked while the first request was in flight (runc does the same)
    writeFileSync(join(dir, 'freezer.state'), 'FROZEN');
  }
  return false;
}

export function thawV1(dir: string): void {
  writeFileSync(join(dir, 'freezer.state'), 'THAWED');
}
