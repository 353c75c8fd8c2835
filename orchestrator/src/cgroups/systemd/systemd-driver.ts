import type { LinuxResources, Spec } from '../../config/spec-types.js';
import type { CgroupPlacement } from '../../state/container-record.js';
import type { ApplyOptions } from '../apply-resources.js';
import { cgroupfsDriver } from '../cgroupfs.js';
import type { CgroupfsDriver } from '../cgroupfs-driver.js';
import type { CgroupDriver } from '../driver.js';
import type { OomWatch } from '../oom-watch.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';
import type { PreparedUnit, PrepareOptions } from './systemd-cgroup.js';

/**
 * The systemd driver (--systemd-cgroup): the unit is made, changed and stopped over D-Bus (loaded
 * only when one of those happens); reading and signalling the cgroup is cgroupfs work, done by the
 * cgroupfs driver of the same placement.
 */
export class SystemdDriver implements CgroupDriver {
  private readonly fs: CgroupfsDriver;

  constructor(
    readonly placement: CgroupPlacement,
    /** a unit checked and ready to start with the first process in it (create) */
    private pending?: PreparedUnit,
  ) {
    this.fs = cgroupfsDriver(placement);
  }

  /** Checks everything about the unit before any process exists; the first join makes it. */
  static async prepare(spec: Spec, id: string, options: PrepareOptions): Promise<SystemdDriver> {
    const { prepareSystemdUnit } = await import('./systemd-cgroup.js');
    const unit = await prepareSystemdUnit(spec, id, options);
    return new SystemdDriver(unit.placement, unit);
  }

  create(): Promise<void> {
    // prepare checked it all; a scope cannot exist before its first process
    return Promise.resolve();
  }

  async join(pid: number): Promise<void> {
    const unit = this.pending;
    if (unit === undefined) return this.fs.join(pid);
    this.pending = undefined;
    await unit.start(pid);
  }

  apply(resources: LinuxResources, options?: ApplyOptions): void {
    this.fs.apply(resources, options);
  }

  async update(resources: LinuxResources): Promise<void> {
    const { updateSystemdUnit } = await import('./systemd-cgroup.js');
    await updateSystemdUnit(this.placement, resources);
  }

  freeze(): void {
    this.fs.freeze();
  }

  thaw(): void {
    this.fs.thaw();
  }

  isFrozen(): boolean {
    return this.fs.isFrozen();
  }

  kill(signal: number): void {
    this.fs.kill(signal);
  }

  pids(): number[] {
    return this.fs.pids();
  }

  exists(): boolean {
    return this.fs.exists();
  }

  stats(): CgroupStats {
    return this.fs.stats();
  }

  watchOom(onOom: () => void): Promise<OomWatch> {
    return this.fs.watchOom(onOom);
  }

  async destroy(): Promise<void> {
    const { destroySystemdUnit } = await import('./systemd-cgroup.js');
    await destroySystemdUnit(this.placement);
  }

  criuRootArgs(): string[] {
    return this.fs.criuRootArgs();
  }

  criuFreezeCgroup(): string | undefined {
    return this.fs.criuFreezeCgroup();
  }

  within(sub: Readonly<Record<string, string>>): CgroupDriver {
    // an exec's sub-cgroup is plain cgroupfs inside the unit's cgroup
    return this.fs.within(sub);
  }

  release(): void {
    this.pending?.close();
    this.pending = undefined;
  }
}
