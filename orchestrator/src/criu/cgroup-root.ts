import { posix } from 'node:path';
import { readCgroupLayout, type CgroupMount } from '../cgroups/hierarchy.js';
import type { CgroupPlacement } from '../state/container-record.js';

/** dir as a cgroup path of its hierarchy (as /proc/<pid>/cgroup shows it). */
function cgroupPath(mount: CgroupMount, dir: string): string {
  return posix.join(mount.root, posix.relative(mount.mountPoint, dir));
}

/**
 * --cgroup-root arguments that put the restored tasks' cgroups under the new container's, one
 * per controller as runc gives criu its CgRoot list (v2: one, for every controller).
 */
export function cgroupRootArgs(p: CgroupPlacement): string[] {
  const layout = readCgroupLayout();
  if (p.version === 2) {
    const dir = p.paths[''];
    return layout.version === 2 && dir !== undefined ? ['--cgroup-root', cgroupPath(layout.unified, dir)] : [];
  }
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
