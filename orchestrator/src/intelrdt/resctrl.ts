import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMountinfo } from '../cgroups/mountinfo.js';

/** What the host's resctrl filesystem offers (Intel RDT / AMD PQoS), as runc's intelrdt asks. */
export interface Resctrl {
  /** where resctrl is mounted */
  root: string;
  /** cache allocation (L3 lines in schemata) */
  cat: boolean;
  /** memory bandwidth allocation (MB lines) */
  mba: boolean;
  /** monitoring groups (mon_groups) */
  monitoring: boolean;
}

/** The resctrl mount of this process's mount namespace, or undefined when there is none. */
export function findResctrl(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): Resctrl | undefined {
  const mount = parseMountinfo(mountinfo).find((entry) => entry.fsType === 'resctrl');
  return mount ? describeResctrl(mount.mountPoint) : undefined;
}

/** What a resctrl tree at root supports, from its info directory. */
export function describeResctrl(root: string): Resctrl {
  return {
    root,
    cat: existsSync(join(root, 'info', 'L3')),
    mba: existsSync(join(root, 'info', 'MB')),
    monitoring: existsSync(join(root, 'info', 'L3_MON')),
  };
}
