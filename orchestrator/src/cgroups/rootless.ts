import { OrchError } from '../errors/orch-error.js';
import { cgroupfsDriver } from './cgroupfs.js';
import type { CgroupfsDriver } from './cgroupfs-driver.js';

const PERMISSION_ERRNOS = ['EACCES', 'EPERM', 'EROFS'];

function isPermissionError(err: unknown): boolean {
  const cause = err instanceof OrchError ? err.cause : err;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return PERMISSION_ERRNOS.includes(code);
  return err instanceof Error && PERMISSION_ERRNOS.some((errno) => err.message.endsWith(`: ${errno}`));
}

/**
 * `create` by an unprivileged user without linux.cgroupsPath: as runc's rootless mode, a
 * hierarchy the user may not write to is left out (the container runs in the caller's cgroup
 * there) instead of failing; hierarchies delegated to the user are used. Makes what it can and
 * returns the driver of that (its create then only writes the limits).
 */
export function narrowToWritable(fs: CgroupfsDriver): CgroupfsDriver {
  const p = fs.placement;
  const paths: Record<string, string> = {};
  for (const [key, dir] of Object.entries(p.paths)) {
    try {
      cgroupfsDriver({ version: p.version, paths: { [key]: dir } }).createDirs();
      paths[key] = dir;
    } catch (err) {
      if (!isPermissionError(err)) throw err;
    }
  }
  return cgroupfsDriver({ version: p.version, paths });
}
