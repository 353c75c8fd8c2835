import type { LinuxResources } from '../config/spec-types.js';
import type { CgroupPlacement } from '../state/container-record.js';
import type { ApplyOptions } from './apply-resources.js';
import type { OomWatch } from './oom-watch.js';
import type { CgroupStats } from './stats/cgroup-stats.js';
import { cgroupfsDriver } from './cgroupfs.js';
import { SystemdDriver } from './systemd/systemd-driver.js';

/**
 * A container's cgroup, whichever driver placed it: cgroupfs v1, cgroupfs v2 or systemd. Every
 * cgroup operation of the lifecycle goes through this, so cleanup is one call for every driver.
 * Synchronous where the kernel answers at once (status, kill and teardown run from cleanup paths);
 * the waits inside are bounded (freeze ~10 s as runc's, emptying ~1 s).
 */
export interface CgroupDriver {
  /** where it lives; cgroupfs create may narrow it (rootless: hierarchies the user cannot write) */
  readonly placement: CgroupPlacement;
  /**
   * Makes the cgroup and writes its limits before any process is in it, so they hold from the
   * first instruction. systemd: checks only; the unit is made by the first join (a scope cannot
   * exist empty).
   */
  create(resources: LinuxResources, options: ApplyOptions): Promise<void>;
  /** puts pid (and so its future children) in the cgroup; systemd's first join starts the unit */
  join(pid: number): Promise<void>;
  /** writes resources into the existing cgroup (every field; device rules only with options) */
  apply(resources: LinuxResources, options?: ApplyOptions): void;
  /** `update`: new resources through the driver (systemd: unit properties, then cgroupfs) */
  update(resources: LinuxResources): Promise<void>;
  /** `pause`: every task frozen, or an error and nothing frozen */
  freeze(): void;
  thaw(): void;
  isFrozen(): boolean;
  /** signals every process in it, so that a fork in between cannot escape */
  kill(signal: number): void;
  /** pids in it, its sub-cgroups included */
  pids(): number[];
  exists(): boolean;
  stats(): CgroupStats;
  watchOom(onOom: () => void): Promise<OomWatch>;
  /** kills what is left, waits for it to go (bounded), removes it and the parents create made */
  destroy(): Promise<void>;
  /** criu's --cgroup-root arguments: restored tasks go under this cgroup */
  criuRootArgs(): string[];
  /** criu's --freeze-cgroup: the dir whose freezer stops the tasks for a dump (none: ptrace) */
  criuFreezeCgroup(): string | undefined;
  /** the same cgroup with `exec --cgroup`'s sub-cgroups in place of its dirs */
  within(sub: Readonly<Record<string, string>>): CgroupDriver;
  /** lets go of what the driver holds (systemd's D-Bus connection) */
  release(): void;
}

/** The driver of an existing cgroup, as its placement was recorded. */
export function cgroupDriver(placement: CgroupPlacement): CgroupDriver {
  return placement.systemd !== undefined ? new SystemdDriver(placement) : cgroupfsDriver(placement);
}
