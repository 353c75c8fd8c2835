import type { CgroupPlacement } from '../state/container-record.js';

/** The container's dir of a v1 controller's hierarchy, or its one dir on v2 (any controller). */
export function cgroupDirOf(p: CgroupPlacement, controller: string): string | undefined {
  if (p.version === 2) return p.paths[''];
  for (const [key, dir] of Object.entries(p.paths)) if (key.split(',').includes(controller)) return dir;
  return undefined;
}
