import { readFileSync } from 'node:fs';

/**
 * Whether orch itself runs in a user namespace (its uid_map is not the whole identity map), where
 * device cgroups cannot be set up and runc skips them.
 */
export function runningInUserNamespace(): boolean {
  let text: string;
  try {
    text = readFileSync('/proc/self/uid_map', 'utf8');
  } catch {
    return false;
  }
  return !/^\s*0\s+0\s+4294967295\s*$/.test(text.trim());
}
