import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { createCgroup } from './cgroup-manager.js';

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
 * there) instead of failing; hierarchies delegated to the user are used. Returns the placement
 * of what was created.
 */
export function createCgroupRootless(p: CgroupPlacement): CgroupPlacement {
  const paths: Record<string, string> = {};
  for (const [key, dir] of Object.entries(p.paths)) {
    try {
      createCgroup({ version: p.version, paths: { [key]: dir } });
      paths[key] = dir;
    } catch (err) {
      if (!isPermissionError(err)) throw err;
    }
  }
  return { version: p.version, paths };
}
