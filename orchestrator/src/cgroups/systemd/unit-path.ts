import { posix } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';

/**
 * Where the systemd cgroup driver (--systemd-cgroup) puts a container, as runc computes it:
 * cgroupsPath is "slice:prefix:name"; the unit is "<prefix>-<name>.scope" (or <name> itself when
 * that is a .slice); the slice defaults to system.slice (user.slice when rootless).
 */
export interface SystemdUnit {
  slice: string;
  unit: string;
  /** the name part of cgroupsPath (the id by default): the unit's Description names it, as runc's */
  name: string;
  /** the unit's cgroup, relative to the hierarchy's root: /system.slice/orch-c1.scope */
  cgroup: string;
}

/** runc's scope prefix for an empty cgroupsPath; orch names its own scopes. */
const DEFAULT_PREFIX = 'orch';

export function systemdUnit(cgroupsPath: string | undefined, id: string, rootless = false): SystemdUnit {
  let slice = '';
  let prefix = DEFAULT_PREFIX;
  let name = id;
  if (cgroupsPath !== undefined && cgroupsPath !== '') {
    const parts = cgroupsPath.split(':');
    if (parts.length !== 3) {
      throw new OrchError('invalid-config', `expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got ${JSON.stringify(cgroupsPath)} instead`);
    }
    [slice, prefix, name] = parts as [string, string, string];
  }
  if (slice === '') slice = rootless ? 'user.slice' : 'system.slice';
  const unit = name.endsWith('.slice') ? name : `${prefix}-${name}.scope`;
  return { slice, unit, name, cgroup: posix.join(expandSlice(slice), unit) };
}

/** runc's ExpandSlice: test-a-b.slice is /test.slice/test-a.slice/test-a-b.slice; -.slice is /. */
export function expandSlice(slice: string): string {
  const suffix = '.slice';
  if (!slice.endsWith(suffix) || slice.includes('/')) throw new OrchError('invalid-config', `invalid slice name: ${slice}`);
  const base = slice.slice(0, -suffix.length);
  if (base === '-') return '/';
  let path = '';
  let prefix = '';
  for (const component of base.split('-')) {
    if (component === '') throw new OrchError('invalid-config', `invalid slice name: ${slice}`);
    path += `/${prefix}${component}${suffix}`;
    prefix += `${component}-`;
  }
  return path;
}
