import { readFileSync, statfsSync } from 'node:fs';
import { systemError } from '../errors/orch-error.js';
import { parseMountinfo, type MountInfoEntry } from './mountinfo.js';

export const CGROUP_ROOT = '/sys/fs/cgroup';
/** statfs f_type of cgroup2 and of cgroup v1 file systems */
export const CGROUP2_SUPER_MAGIC = 0x63677270;
export const CGROUP_SUPER_MAGIC = 0x27e0eb;
/** systemd's hybrid layout mounts cgroup2 here, beside the v1 controllers */
export const HYBRID_UNIFIED_MOUNT = `${CGROUP_ROOT}/unified`;

export interface CgroupMount {
  mountPoint: string;
  /** the cgroup the mount shows at its mount point ("/" unless bind-mounted from a sub-cgroup) */
  root: string;
}

export interface V1Hierarchy extends CgroupMount {
  /** as in the super options, e.g. ["cpu", "cpuacct"] or ["name=systemd"] */
  controllers: string[];
}

export type CgroupLayout =
  | { version: 2; unified: CgroupMount }
  | { version: 1; hierarchies: V1Hierarchy[]; hybrid?: CgroupMount };

// Super options of a v1 cgroup mount that are not controller names.
const NOT_CONTROLLERS = new Set(['rw', 'ro', 'noprefix', 'clone_children', 'xattr', 'cpuset_v2_mode', 'favordynmods', 'nofavordynmods', 'none', 'all']);

/**
 * The hierarchies orch places containers in, from mountinfo text. `unified` says whether
 * /sys/fs/cgroup itself is cgroup2 (the caller knows it from statfs).
 */
export function layoutFromMountinfo(mountinfo: string, unified: boolean): CgroupLayout {
  const mounts = parseMountinfo(mountinfo);
  if (unified) {
    const entry = mounts.find((m) => m.fsType === 'cgroup2' && m.mountPoint === CGROUP_ROOT);
    return { version: 2, unified: { mountPoint: CGROUP_ROOT, root: entry?.root ?? '/' } };
  }
  const hierarchies: V1Hierarchy[] = [];
  const seen = new Set<string>();
  for (const m of mounts) {
    if (m.fsType !== 'cgroup') continue;
    const controllers = v1Controllers(m);
    // runc joins every real controller plus name=systemd; other named hierarchies belong to others
    if (!controllers.some((c) => !c.startsWith('name=') || c === 'name=systemd')) continue;
    const key = [...controllers].sort().join(',');
    if (seen.has(key)) continue; // the same hierarchy bind-mounted again: the first mount wins
    seen.add(key);
    hierarchies.push({ mountPoint: m.mountPoint, root: m.root, controllers });
  }
  const hybrid = mounts.find((m) => m.fsType === 'cgroup2' && m.mountPoint === HYBRID_UNIFIED_MOUNT);
  return { version: 1, hierarchies, ...(hybrid ? { hybrid: { mountPoint: hybrid.mountPoint, root: hybrid.root } } : {}) };
}

/** Reads this host's layout: statfs of /sys/fs/cgroup, then /proc/self/mountinfo. */
export function readCgroupLayout(): CgroupLayout {
  let unified: boolean;
  try {
    unified = statfsSync(CGROUP_ROOT).type === CGROUP2_SUPER_MAGIC;
  } catch (err) {
    throw systemError(`statfs ${CGROUP_ROOT}`, err);
  }
  let mountinfo: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch (err) {
    throw systemError('read /proc/self/mountinfo', err);
  }
  return layoutFromMountinfo(mountinfo, unified);
}

function v1Controllers(m: MountInfoEntry): string[] {
  return m.superOptions.filter((o) => o.startsWith('name=') || (!o.includes('=') && !NOT_CONTROLLERS.has(o)));
}
