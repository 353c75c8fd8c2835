import { posix } from 'node:path';
import type { CgroupPlacement } from '../state/container-record.js';
import { readCgroupLayout, type CgroupMount } from './hierarchy.js';

/** dir as a cgroup path of its hierarchy (as /proc/<pid>/cgroup shows it). */
function cgroupPath(mount: CgroupMount, dir: string): string {
  return posix.join(mount.root, posix.relative(mount.mountPoint, dir));
}

/** criu's --cgroup-root for v2: one, for every controller (runc's CgRoot). */
export function cgroupRootArgsV2(p: CgroupPlacement): string[] {
  const layout = readCgroupLayout();
  const dir = p.paths[''];
  return layout.version === 2 && dir !== undefined ? ['--cgroup-root', cgroupPath(layout.unified, dir)] : [];
}

/** criu's --cgroup-root for v1: one per controller, as runc gives criu its CgRoot list. */
export function cgroupRootArgsV1(p: CgroupPlacement): string[] {
  const layout = readCgroupLayout();
  if (layout.version !== 1) return [];
  const args: string[] = [];
  for (const [key, dir] of Object.entries(p.paths)) {
    const hierarchy = layout.hierarchies.find((h) => dir === h.mountPoint || dir.startsWith(`${h.mountPoint}/`));
    if (!hierarchy) continue;
    for (const controller of key.split(',')) {
      if (controller !== '' && !controller.startsWith('name=')) args.push('--cgroup-root', `${controller}:${cgroupPath(hierarchy, dir)}`);
    }
  }
  return args;
}
