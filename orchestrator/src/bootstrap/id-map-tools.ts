import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * newuidmap/newgidmap (shadow's setuid helpers) on $PATH, looked up in orch's context as runc
 * does, so the helper never searches a PATH from inside the new namespaces. An unprivileged
 * caller needs them for any mapping beyond its own id.
 */
export function findIdMapTool(name: 'newuidmap' | 'newgidmap', path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir.startsWith('/')) continue; // a relative PATH entry would depend on the cwd
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * runc's requiresRootOrMappingTool: only a gid map that is exactly "0 <egid> 1" can be written
 * by an unprivileged process itself (after denying setgroups); anything else goes through
 * newgidmap, and setgroups stays allowed for it.
 */
export function needsMappingTool(gidMappings: ReadonlyArray<{ containerID: number; hostID: number; size: number }>, egid: number): boolean {
  const only = gidMappings.length === 1 ? gidMappings[0] : undefined;
  return !(only !== undefined && only.containerID === 0 && only.hostID === egid && only.size === 1);
}
