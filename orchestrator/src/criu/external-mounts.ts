import { statSync } from 'node:fs';
import { posix } from 'node:path';
import type { Mount, Spec } from '../config/spec-types.js';

/** Device nodes every container gets (runc's default devices): bind-mounted from the host in a user namespace. */
const DEFAULT_DEVICES = ['/dev/null', '/dev/zero', '/dev/full', '/dev/tty', '/dev/urandom', '/dev/random'];

/** What criu must not dump but find again at restore: mounts whose source is outside the container. */
export interface ExternalMount {
  /** the mount point in the container */
  destination: string;
  /** the host path it comes from */
  source: string;
}

const isBind = (m: Mount): boolean => m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');

/**
 * As runc: bind mounts, device nodes (spec.linux.devices and the defaults) and /dev/null over
 * masked files. criu records them by a key (the destination; "/dev/null" for masked files) and
 * binds the key's host path back at restore. Masked paths count only when the container has
 * them as files (initPid's root tells): a directory is masked by a tmpfs, which criu dumps.
 */
export function externalMounts(spec: Spec, initPid?: number): { binds: ExternalMount[]; maskedFiles: string[] } {
  const binds: ExternalMount[] = [];
  for (const m of spec.mounts ?? []) {
    if (isBind(m) && m.source) binds.push({ destination: posix.resolve('/', m.destination), source: m.source });
  }
  for (const path of [...DEFAULT_DEVICES, ...(spec.linux?.devices ?? []).map((d) => d.path)]) {
    if (!binds.some((b) => b.destination === path)) binds.push({ destination: path, source: path });
  }
  const maskedFiles =
    initPid === undefined
      ? (spec.linux?.maskedPaths ?? [])
      : (spec.linux?.maskedPaths ?? []).filter((path) => {
          try {
            return !statSync(`/proc/${initPid}/root${path}`).isDirectory();
          } catch {
            return false;
          }
        });
  return { binds, maskedFiles };
}

/** --external arguments for `criu dump`: mnt[mount point]:key. */
export function dumpMountArgs(spec: Spec, initPid: number): string[] {
  const { binds, maskedFiles } = externalMounts(spec, initPid);
  return [
    ...binds.flatMap((b) => ['--external', `mnt[${b.destination}]:${b.destination}`]),
    ...maskedFiles.flatMap((path) => ['--external', `mnt[${path}]:/dev/null`]),
  ];
}

/** --external arguments for `criu restore`: mnt[key]:host path. */
export function restoreMountArgs(spec: Spec): string[] {
  const { binds, maskedFiles } = externalMounts(spec);
  return [
    ...binds.flatMap((b) => ['--external', `mnt[${b.destination}]:${b.source}`]),
    ...(maskedFiles.length > 0 ? ['--external', 'mnt[/dev/null]:/dev/null'] : []),
  ];
}
