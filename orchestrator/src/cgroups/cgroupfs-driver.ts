import { existsSync, rmdirSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import type { LinuxResources } from '../config/spec-types.js';
import { OrchError } from '../errors/orch-error.js';
import { logger } from '../log/logger.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { applyResources, type ApplyOptions } from './apply-resources.js';
import type { CgroupDriver } from './driver.js';
import type { OomWatch } from './oom-watch.js';
import { readCgroupProcs, writeCgroupProc } from './procs.js';
import { removeCgroupDir } from './remove-dir.js';
import { sleepSync } from './sleep-sync.js';
import type { CgroupStats } from './stats/cgroup-stats.js';
import { subCgroupPlacement } from './sub-cgroup.js';

/**
 * What cgroupfs v1 and v2 share: dirs made and removed by orch itself, processes moved by
 * writing cgroup.procs, signals sent under a freeze. The version classes say where things are.
 */
export abstract class CgroupfsDriver implements CgroupDriver {
  constructor(public placement: CgroupPlacement) {}

  /** the dir pids are read from (runc uses the devices hierarchy on v1) */
  protected abstract primaryDir(): string | undefined;
  /** makes one dir of the placement, and its missing parents */
  protected abstract makeDir(key: string, dir: string): void;
  /** the freezer's dir, if this cgroup has one */
  protected abstract freezerDir(): string | undefined;
  /** freezes (waiting, bounded, for every task to stop); on failure thaws and throws */
  protected abstract freezeDir(dir: string): void;
  protected abstract thawDir(dir: string): void;
  protected abstract frozenDir(dir: string): boolean;
  /** v2's cgroup.kill: SIGKILL for the whole cgroup at once; false where there is none */
  protected abstract killAtomically(dir: string): boolean;
  abstract stats(): CgroupStats;
  abstract watchOom(onOom: () => void): Promise<OomWatch>;
  abstract criuRootArgs(): string[];
  protected abstract withPlacement(placement: CgroupPlacement): CgroupfsDriver;

  async create(resources: LinuxResources, options: ApplyOptions): Promise<void> {
    this.createDirs();
    try {
      this.apply(resources, options);
    } catch (err) {
      await this.destroy();
      throw err;
    }
  }

  /**
   * Notes in the placement the levels above its dirs that do not exist yet: create makes them, and
   * destroy removes them too (runc leaves them, and a nested cgroupsPath then leaks a dir per
   * level). Called when the placement is planned, so the intent record names them.
   */
  noteMissingParents(): void {
    const made = new Set<string>(this.placement.madeParents ?? []);
    for (const dir of Object.values(this.placement.paths)) {
      for (let parent = dirname(dir); parent !== dirname(parent) && !existsSync(parent); parent = dirname(parent)) made.add(parent);
    }
    if (made.size > 0) this.placement.madeParents = [...made];
  }

  /** Makes every dir of the placement, and the parents it lacks. */
  createDirs(): void {
    this.noteMissingParents();
    for (const [key, dir] of Object.entries(this.placement.paths)) this.makeDir(key, dir);
  }

  join(pid: number): Promise<void> {
    for (const dir of Object.values(this.placement.paths)) writeCgroupProc(dir, pid);
    return Promise.resolve();
  }

  apply(resources: LinuxResources, options: ApplyOptions = {}): void {
    applyResources(this.placement, resources, options);
  }

  update(resources: LinuxResources): Promise<void> {
    this.apply(resources, { skipDevices: true });
    return Promise.resolve();
  }

  freeze(): void {
    const dir = this.freezerDir();
    if (dir === undefined) throw new OrchError('unsupported', 'cannot toggle freezer: cgroups not configured for container (no freezer)');
    this.freezeDir(dir);
  }

  thaw(): void {
    const dir = this.freezerDir();
    if (dir !== undefined && existsSync(dir)) this.thawDir(dir);
  }

  isFrozen(): boolean {
    const dir = this.freezerDir();
    return dir !== undefined && this.frozenDir(dir);
  }

  pids(): number[] {
    const dir = this.primaryDir();
    return dir === undefined ? [] : readCgroupProcs(dir, true);
  }

  exists(): boolean {
    const dir = this.primaryDir();
    return dir !== undefined && existsSync(dir);
  }

  /**
   * v2 with SIGKILL uses cgroup.kill (atomic, forks cannot escape); otherwise the cgroup is frozen
   * while pids are read and signalled, so a fork in between cannot leave a process behind, then
   * thawed (a killed frozen task dies on thaw). Unlike runc, a container that was paused before is
   * left paused (for any signal but SIGKILL).
   */
  kill(signal: number): void {
    const dir = this.primaryDir();
    if (dir === undefined || !existsSync(dir)) return;
    // an empty cgroup (a stopped container's, at delete): nothing to freeze or signal
    if (this.pids().length === 0) return;
    if (signal === constants.signals.SIGKILL && this.killAtomically(dir)) return;
    const freezer = this.freezerDir();
    const wasPaused = this.isFrozen();
    const frozen = freezer !== undefined && !wasPaused && this.tryFreeze(freezer);
    const thaw = freezer !== undefined && (frozen || (wasPaused && signal === constants.signals.SIGKILL));
    try {
      for (const pid of this.pids()) {
        try {
          process.kill(pid, signal);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw new OrchError('system', `kill ${pid}: ${(err as Error).message}`, { cause: err });
        }
      }
    } finally {
      if (thaw && freezer !== undefined) this.thawDir(freezer);
    }
  }

  async destroy(): Promise<void> {
    this.empty();
    this.removeDirs();
    return Promise.resolve();
  }

  /** SIGKILLs whatever is left and waits (about a second at most) for it to go. */
  empty(): void {
    if (this.pids().length === 0) return;
    this.kill(constants.signals.SIGKILL);
    for (let waited = 0; waited < 1000 && this.pids().length > 0; waited += 10) sleepSync(10);
  }

  /** Removes every dir, sub-cgroups first, then the parents create made (when nobody else uses them). */
  removeDirs(): void {
    const failures: string[] = [];
    for (const dir of Object.values(this.placement.paths)) {
      try {
        removeCgroupDir(dir);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (failures.length > 0) throw new OrchError('system', failures.join('; '));
    // deepest first; a parent another container lives under is busy or not empty, and stays
    for (const parent of [...(this.placement.madeParents ?? [])].sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(parent);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'EBUSY' && code !== 'ENOTEMPTY') logger().warn(`remove cgroup ${parent}: ${code ?? String(err)}`);
      }
    }
  }

  criuFreezeCgroup(): string | undefined {
    return this.freezerDir();
  }

  within(sub: Readonly<Record<string, string>>): CgroupDriver {
    return Object.keys(sub).length === 0 ? this : this.withPlacement(subCgroupPlacement(this.placement, sub));
  }

  release(): void {
    // nothing held
  }

  /** The freeze kill uses: a cgroup that will not freeze is signalled anyway. */
  private tryFreeze(dir: string): boolean {
    try {
      this.freezeDir(dir);
      return true;
    } catch (err) {
      // no freezer (old kernel, rootless) or a freeze that did not finish: signal without it, as runc does
      logger().debug(`cannot freeze ${dir}: ${err instanceof Error ? err.message : String(err)}; signalling anyway`);
      return false;
    }
  }
}
