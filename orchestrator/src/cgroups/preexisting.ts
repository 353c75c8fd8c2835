import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { controllerDir } from './controller-dir.js';
import { readCgroupProcs } from './procs.js';

/**
 * What a container's cgroup already is before create makes it (runc 1.2's checks): processes in
 * it are allowed with a warning; a frozen cgroup (its own, or the nearest existing ancestor's, whose
 * state a new child takes) is refused, since the helper would freeze the moment it joined and
 * create would wait for it forever.
 */
export function checkPreexistingCgroup(p: CgroupPlacement, warn: (message: string) => void): void {
  const dirs = Object.values(p.paths);
  const pids = new Set<number>();
  for (const dir of dirs) for (const pid of readCgroupProcs(dir, true)) pids.add(pid);
  if (pids.size > 0) warn(`container's cgroup is not empty: ${pids.size} process(es) found`);

  const frozenAt = p.version === 2 ? frozenV2(p.paths['']) : frozenV1(controllerDir(p, 'freezer'));
  if (frozenAt !== undefined) throw new OrchError('system', `container's cgroup unexpectedly frozen (${frozenAt})`);
}

/** The dir itself if it exists, else its nearest existing ancestor within the hierarchy. */
function nearestExisting(dir: string): string {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

function frozenV2(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const at = nearestExisting(dir);
  try {
    // "frozen 1" is the effective state, inherited from a frozen ancestor too
    return /^frozen 1$/m.test(readFileSync(join(at, 'cgroup.events'), 'utf8')) ? at : undefined;
  } catch {
    return undefined; // no cgroup.events (the root, or a kernel before 5.2): nothing can be frozen
  }
}

function frozenV1(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const at = nearestExisting(dir);
  try {
    return readFileSync(join(at, 'freezer.state'), 'utf8').trim() === 'THAWED' ? undefined : at;
  } catch {
    return undefined; // the hierarchy's root has no freezer.state: it cannot be frozen
  }
}
