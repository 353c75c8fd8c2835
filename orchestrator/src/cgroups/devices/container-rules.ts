import { OrchError } from '../../errors/orch-error.js';
import type { LinuxDevice, LinuxDeviceCgroup } from '../../config/spec-types.js';
import { WILDCARD, type DeviceRule } from './device-rule.js';

/**
 * The device rules a container's cgroup gets, as runc builds them: linux.resources.devices in
 * order, then runc's default allow list. A default with a path is left out when linux.devices
 * names that path (the spec's entry wins, as in runc's createDevices), and so is its rule.
 */
interface DefaultDevice {
  path?: string;
  rule: DeviceRule;
}

const char = (major: number, minor: number, access = 'rwm'): DeviceRule => ({ type: 'c', major, minor, access, allow: true });

/** runc's specconv.AllowedDevices, in its order. */
export const DEFAULT_ALLOWED_DEVICES: readonly DefaultDevice[] = [
  // mknod of any device: creating a node grants no access to it
  { rule: char(WILDCARD, WILDCARD, 'm') },
  { rule: { type: 'b', major: WILDCARD, minor: WILDCARD, access: 'm', allow: true } },
  { path: '/dev/null', rule: char(1, 3) },
  { path: '/dev/random', rule: char(1, 8) },
  { path: '/dev/full', rule: char(1, 7) },
  { path: '/dev/tty', rule: char(5, 0) },
  { path: '/dev/zero', rule: char(1, 5) },
  { path: '/dev/urandom', rule: char(1, 9) },
  // /dev/pts/*
  { rule: char(136, WILDCARD) },
  // /dev/ptmx
  { rule: char(5, 2) },
  // /dev/net/tun: runc dropped it in 1.2.0-rc1 and put it back for the users that relied on it
  { rule: char(10, 200) },
];

export function containerDeviceRules(resourceDevices: readonly LinuxDeviceCgroup[] | undefined, deviceNodes: readonly LinuxDevice[] | undefined): DeviceRule[] {
  const rules = (resourceDevices ?? []).map(specRule);
  const nodePaths = new Set((deviceNodes ?? []).map((d) => d.path));
  for (const d of DEFAULT_ALLOWED_DEVICES) {
    if (d.path !== undefined && nodePaths.has(d.path)) continue;
    rules.push({ ...d.rule });
  }
  return rules;
}

/** One linux.resources.devices entry: type defaults to "a", major/minor to "*"; access may not be empty. */
function specRule(d: LinuxDeviceCgroup, index: number): DeviceRule {
  if ((d.access ?? '') === '') throw new OrchError('invalid-config', `device access at ${index} field cannot be empty`);
  return {
    type: d.type ?? 'a',
    major: d.major ?? WILDCARD,
    minor: d.minor ?? WILDCARD,
    access: d.access ?? '',
    allow: d.allow,
  };
}
