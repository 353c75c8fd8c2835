import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { Spec } from '../config/spec-types.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { logger } from '../log/logger.js';
import { readCgroupLayout } from './hierarchy.js';
import { computePlacement } from './placement.js';
import { parseProcCgroup } from './proc-cgroup.js';
import { readCgroupProcs, writeCgroupProc } from './procs.js';
import { removeCgroupDir } from './remove-dir.js';
import { controllerDir } from './controller-dir.js';
import { sleepSync } from './sleep-sync.js';
import { makeCpusetDir } from './v1/cpuset.js';
import { freezeV1, readFreezerState, thawV1 } from './v1/freezer.js';
import { makeV2Dir } from './v2/create.js';
import { freezeV2, isFrozenV2, thawV2 } from './v2/freezer.js';

/**
 * The container's cgroup, whole: where it goes, making it, putting processes in it, signalling
 * and removing it. Resource limits are in apply-resources.ts, per controller in v1/ and v2/.
 * Synchronous on purpose: teardown runs from cleanup paths and `finally` blocks, and its waits on
 * the kernel are bounded (about a second).
 */

/** Where the container's cgroup goes on this host (the cgroupfs driver). Reads the host's layout; creates nothing. */
export function planCgroup(spec: Spec, id: string): CgroupPlacement {
  let self: string;
  try {
    self = readFileSync('/proc/self/cgroup', 'utf8');
  } catch (err) {
    throw systemError('read /proc/self/cgroup', err);
  }
  return computePlacement({ layout: readCgroupLayout(), self: parseProcCgroup(self), cgroupsPath: spec.linux?.cgroupsPath, id });
}

/** Makes every dir of the placement (parents too). */
export function createCgroup(p: CgroupPlacement): void {
  for (const [key, dir] of Object.entries(p.paths)) {
    try {
      if (p.version === 2) makeV2Dir(dir);
      else if (controllersOf(key).includes('cpuset')) makeCpusetDir(dir);
      else mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw err instanceof OrchError ? err : systemError(`create cgroup ${dir}`, err);
    }
  }
}

/** Moves pid (and so its future children) into the container's cgroup in every hierarchy. */
export function joinCgroup(p: CgroupPlacement, pid: number): void {
  for (const dir of Object.values(p.paths)) writeCgroupProc(dir, pid);
}

/** Pids in the container's cgroup, its sub-cgroups included (a container may make its own). */
export function cgroupPids(p: CgroupPlacement): number[] {
  const dir = primaryDir(p);
  return dir === undefined ? [] : readCgroupProcs(dir, true);
}

/** Whether the container's cgroup still exists. */
export function cgroupExists(p: CgroupPlacement): boolean {
  const dir = primaryDir(p);
  return dir !== undefined && existsSync(dir);
}

/** Whether the container is paused: v1 freezer.state FROZEN, v2 cgroup.freeze 1. */
export function isCgroupFrozen(p: CgroupPlacement): boolean {
  if (p.version === 2) return p.paths[''] !== undefined && isFrozenV2(p.paths['']);
  const dir = dirWith(p, 'freezer');
  return dir !== undefined && readFreezerState(dir) === 'FROZEN';
}

export function thawCgroup(p: CgroupPlacement): void {
  try {
    if (p.version === 2) {
      if (p.paths[''] !== undefined) thawV2(p.paths['']);
      return;
    }
    const dir = dirWith(p, 'freezer');
    if (dir !== undefined) thawV1(dir);
  } catch (err) {
    throw systemError('thaw cgroup', err);
  }
}

/**
 * Sends signal to every process in the cgroup. v2 with SIGKILL uses cgroup.kill (atomic, forks
 * cannot escape); otherwise the cgroup is frozen while pids are read and signalled, so a fork in
 * between cannot leave a process behind, then thawed (a killed frozen task dies on thaw). Unlike
 * runc, a container that was paused before is left paused (for any signal but SIGKILL).
 */
export function killCgroup(p: CgroupPlacement, signal: number): void {
  const dir = primaryDir(p);
  if (dir === undefined || !existsSync(dir)) return;
  if (p.version === 2 && signal === constants.signals.SIGKILL && existsSync(join(dir, 'cgroup.kill'))) {
    try {
      writeFileSync(join(dir, 'cgroup.kill'), '1');
      return;
    } catch (err) {
      throw systemError(`write ${join(dir, 'cgroup.kill')}`, err);
    }
  }
  const freezer = p.version === 2 ? dir : dirWith(p, 'freezer');
  // a paused container stays paused, unless the signal is SIGKILL: frozen tasks die only when thawed
  const wasPaused = isCgroupFrozen(p);
  const frozen = freezer !== undefined && !wasPaused && tryFreeze(p.version, freezer);
  const thaw = freezer !== undefined && (frozen || (wasPaused && signal === constants.signals.SIGKILL));
  try {
    for (const pid of cgroupPids(p)) {
      try {
        process.kill(pid, signal);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw systemError(`kill ${pid}`, err);
      }
    }
  } finally {
    if (thaw && freezer !== undefined) {
      if (p.version === 2) thawV2(freezer);
      else thawV1(freezer);
    }
  }
}

/**
 * Kills whatever is left in the cgroup, waits for it to empty, then removes every dir of the
 * placement (runc removes the leaf only, never parents it may share with others).
 */
export function destroyCgroup(p: CgroupPlacement): void {
  emptyCgroup(p);
  removeCgroupDirs(p);
}

/** SIGKILLs whatever is left in the cgroup and waits (about a second at most) for it to go. */
export function emptyCgroup(p: CgroupPlacement): void {
  if (cgroupPids(p).length > 0) {
    killCgroup(p, constants.signals.SIGKILL);
    for (let waited = 0; waited < 1000 && cgroupPids(p).length > 0; waited += 10) sleepSync(10);
  }
}

/** Removes every dir of the placement, sub-cgroups first; dirs already gone are fine. */
export function removeCgroupDirs(p: CgroupPlacement): void {
  const failures: string[] = [];
  for (const dir of Object.values(p.paths)) {
    try {
      removeCgroupDir(dir);
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (failures.length > 0) throw new OrchError('system', failures.join('; '));
}

/** The dir to read pids from: runc uses the devices hierarchy; any joined one would do. */
function primaryDir(p: CgroupPlacement): string | undefined {
  if (p.version === 2) return p.paths[''];
  return dirWith(p, 'devices') ?? dirWith(p, 'freezer') ?? dirWith(p, 'pids') ?? Object.values(p.paths)[0];
}

function dirWith(p: CgroupPlacement, controller: string): string | undefined {
  return controllerDir(p, controller);
}

function controllersOf(key: string): string[] {
  return key === '' ? [] : key.split(',');
}

/** Whether the freeze was asked for (and so needs a thaw), even if the kernel was slow to finish it. */
function tryFreeze(version: 1 | 2, dir: string): boolean {
  try {
    const done = version === 2 ? freezeV2(dir) : freezeV1(dir);
    if (!done) logger().debug(`cgroup ${dir} did not finish freezing; signalling anyway`);
    return true;
  } catch (err) {
    // no freezer (old kernel, rootless): signal without it, as runc does
    logger().debug(`cannot freeze ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return false;
  }
}

