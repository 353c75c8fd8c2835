/**
 * A device cgroup rule as runc's devices.Rule: type a (all), b or c; major/minor -1 for "*";
 * access a subset of "rwm"; allow or deny.
 */
export type DeviceRuleType = 'a' | 'b' | 'c';

export interface DeviceRule {
  type: DeviceRuleType;
  major: number;
  minor: number;
  access: string;
  allow: boolean;
}

export const WILDCARD = -1;

/** "c 1:3 rwm", "a *:* rwm": the line devices.allow / devices.deny take and devices.list shows. */
export function ruleString(rule: DeviceRule): string {
  const major = rule.major === WILDCARD ? '*' : String(rule.major);
  const minor = rule.minor === WILDCARD ? '*' : String(rule.minor);
  return `${rule.type} ${major}:${minor} ${rule.access}`;
}

const READ = 1;
const WRITE = 2;
const MKNOD = 4;

function toSet(access: string): number {
  let set = 0;
  for (const c of access) set |= c === 'r' ? READ : c === 'w' ? WRITE : c === 'm' ? MKNOD : 0;
  return set;
}

/** Canonical "rwm" order, as the kernel prints access. */
function fromSet(set: number): string {
  return `${set & READ ? 'r' : ''}${set & WRITE ? 'w' : ''}${set & MKNOD ? 'm' : ''}`;
}

export function accessUnion(a: string, b: string): string {
  return fromSet(toSet(a) | toSet(b));
}

export function accessDifference(a: string, b: string): string {
  return fromSet(toSet(a) & ~toSet(b));
}

export function accessIntersection(a: string, b: string): string {
  return fromSet(toSet(a) & toSet(b));
}

/** Only r, w and m, each at most once, in that order. */
export function isCanonicalAccess(access: string): boolean {
  return access === fromSet(toSet(access)) && /^[rwm]*$/.test(access);
}
