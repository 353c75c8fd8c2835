import { closeSync, lstatSync, mkdirSync, openSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { systemError } from '../errors/orch-error.js';
import type { Mount, Spec } from '../config/spec-types.js';

/**
 * As runc's prepareCriuRestoreMounts: the rootfs gets the mount points create would have made
 * (criu mounts on them but does not make them), except under a tmpfs (criu restores its content)
 * and for cgroup mounts. A file is made for a bind of a file, a directory otherwise. Paths stay
 * inside the rootfs: a symlink in the way is resolved and checked first.
 */
export function prepareRestoreMountpoints(spec: Spec, rootfs: string): void {
  const mounts = spec.mounts ?? [];
  const tmpfs = mounts.filter((m) => m.type === 'tmpfs').map((m) => posix.resolve('/', m.destination));
  for (const m of mounts) {
    if (m.type === 'cgroup' || m.type === 'cgroup2') continue;
    const destination = posix.resolve('/', m.destination);
    if (tmpfs.some((t) => destination.startsWith(`${t}/`))) continue;
    makeMountpoint(rootfs, destination, isFileBind(m));
  }
}

function isFileBind(m: Mount): boolean {
  const bind = m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
  if (!bind || !m.source) return false;
  try {
    return !statSync(m.source).isDirectory();
  } catch {
    return false;
  }
}

function makeMountpoint(rootfs: string, destination: string, file: boolean): void {
  const target = join(rootfs, destination);
  try {
    lstatSync(target);
    return; // there already (a symlink too: create resolved it the same way)
  } catch {
    // to be made
  }
  try {
    const parent = dirname(target);
    mkdirSync(parent, { recursive: true, mode: 0o755 });
    const real = realpathSync(parent);
    const rel = relative(rootfs, real);
    if (rel.startsWith('..')) return; // a symlink led outside: not ours to create
    if (file) closeSync(openSync(join(real, posix.basename(destination)), 'a', 0o644));
    else mkdirSync(join(real, posix.basename(destination)), { mode: 0o755 });
  } catch (err) {
    throw systemError(`create criu restore mountpoint ${destination}`, err);
  }
}
