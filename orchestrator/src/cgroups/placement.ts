import { posix } from 'node:path';
import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';
import type { CgroupLayout, CgroupMount } from './hierarchy.js';
import type { ProcCgroupEntry } from './proc-cgroup.js';

export interface PlacementInput {
  layout: CgroupLayout;
  /** orch's own /proc/self/cgroup, parsed */
  self: ProcCgroupEntry[];
  /** spec.linux.cgroupsPath; empty or absent: runc's default, the container id */
  cgroupsPath: string | undefined;
  id: string;
}

/**
 * Where the container's cgroup goes, as runc's fs/fs2 drivers compute it:
 * - an absolute cgroupsPath is taken from each hierarchy's mount point;
 * - a relative one (and the default, which is the id) from orch's own cgroup in each v1
 *   hierarchy, and from the *parent* of orch's own cgroup in v2 (its own cgroup has processes, so
 *   it could not enable controllers for a child);
 * - v1 with systemd's hybrid cgroup2 mount also gets a "" entry there, as runc does.
 * Pure, so tests can feed it other hosts' mountinfo and /proc/self/cgroup.
 */
export function computePlacement(input: PlacementInput): CgroupPlacement {
  const cleaned = cleanCgroupPath(input.cgroupsPath ?? '');
  const inner = cleaned === '' ? cleanCgroupPath(input.id) : cleaned;
  const { layout, self } = input;

  if (layout.version === 2) {
    const own = ownPath(self, []);
    const base = posix.dirname(own ?? '/');
    return { version: 2, paths: { '': placeIn(layout.unified, base, inner) } };
  }

  const paths: Record<string, string> = {};
  for (const h of layout.hierarchies) {
    const entry = self.find((e) => sameSet(e.controllers, h.controllers));
    // /proc/self/cgroup spells the key the way the kernel orders co-mounted controllers
    const key = (entry?.controllers ?? h.controllers).join(',');
    paths[key] = placeIn(h, entry?.path ?? '/', inner);
  }
  if (!Object.keys(paths).some((key) => key.split(',').includes('devices'))) {
    // without the devices controller a v1 container could open any device node
    throw new OrchError('system', 'cgroup v1: the devices controller is not mounted');
  }
  if (layout.hybrid) paths[''] = placeIn(layout.hybrid, ownPath(self, []) ?? '/', inner);
  return { version: 1, paths };
}

/** runc's utils.CleanPath: lexically cleaned; a relative path cannot climb above its start. */
export function cleanCgroupPath(path: string): string {
  if (path === '') return '';
  if (path.startsWith('/')) return posix.normalize(path).replace(/(.)\/$/, '$1');
  return posix.relative('/', posix.normalize(`/${path}`)) || '.';
}

function placeIn(mount: CgroupMount, own: string, inner: string): string {
  let dir: string;
  if (inner.startsWith('/')) {
    dir = posix.join(mount.mountPoint, inner);
  } else {
    // /proc/self/cgroup names cgroups from the hierarchy's root; the mount may show a sub-tree of it
    const rel = posix.relative(mount.root, own);
    dir = posix.join(mount.mountPoint, rel.startsWith('..') ? '' : rel, inner);
  }
  dir = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  // delete removes the container's cgroup: it must never be a hierarchy's root
  if (dir === mount.mountPoint) throw new OrchError('invalid-config', `linux.cgroupsPath: ${inner} is the root cgroup of ${mount.mountPoint}`);
  return dir;
}

function ownPath(self: ProcCgroupEntry[], controllers: string[]): string | undefined {
  return self.find((e) => e.hierarchyId === 0 && sameSet(e.controllers, controllers))?.path;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
