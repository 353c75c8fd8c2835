import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleepSync } from '../sleep-sync.js';

/** Whether cgroup.freeze asks for frozen (what runc reports as "paused"). */
export function isFrozenV2(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'cgroup.freeze'), 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** Freezes and waits (up to ~1 s) for cgroup.events to say "frozen 1". Returns whether it did. */
export function freezeV2(dir: string): boolean {
  writeFileSync(join(dir, 'cgroup.freeze'), '1');
  for (let waited = 0; waited < 1000; waited += 10) {
    if (/^frozen 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'))) return true;
    sleepSync(10);
  }
  return false;
}

export function thawV2(dir: string): void {
  writeFileSync(join(dir, 'cgroup.freeze'), '0');
}
