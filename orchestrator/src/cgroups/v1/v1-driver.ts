import { mkdirSync } from 'node:fs';
import { OrchError, systemError } from '../../errors/orch-error.js';
import type { CgroupPlacement } from '../../state/container-record.js';
import { CgroupfsDriver } from '../cgroupfs-driver.js';
import { controllerDir } from '../controller-dir.js';
import { cgroupRootArgsV1 } from '../criu-root.js';
import type { OomWatch } from '../oom-watch.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';
import { collectStatsV1 } from '../stats/collect-stats.js';
import { makeCpusetDir } from './cpuset.js';
import { freezeV1, readFreezerState, thawV1 } from './freezer.js';
import { watchOomV1 } from './oom-events.js';

/** cgroupfs on cgroup v1: a dir per hierarchy, keyed by its controllers ("cpu,cpuacct"). */
export class CgroupfsV1Driver extends CgroupfsDriver {
  protected primaryDir(): string | undefined {
    // runc reads pids from the devices hierarchy; any joined one would do
    const p = this.placement;
    return controllerDir(p, 'devices') ?? controllerDir(p, 'freezer') ?? controllerDir(p, 'pids') ?? Object.values(p.paths)[0];
  }

  protected makeDir(key: string, dir: string): void {
    try {
      if (key.split(',').includes('cpuset')) makeCpusetDir(dir);
      else mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw err instanceof OrchError ? err : systemError(`create cgroup ${dir}`, err);
    }
  }

  protected freezerDir(): string | undefined {
    return controllerDir(this.placement, 'freezer');
  }

  protected freezeDir(dir: string): void {
    freezeV1(dir);
  }

  protected thawDir(dir: string): void {
    thawV1(dir);
  }

  protected frozenDir(dir: string): boolean {
    return readFreezerState(dir) === 'FROZEN';
  }

  protected killAtomically(): boolean {
    return false;
  }

  stats(): CgroupStats {
    return collectStatsV1(this.placement);
  }

  watchOom(onOom: () => void): Promise<OomWatch> {
    const dir = controllerDir(this.placement, 'memory');
    if (dir === undefined) return Promise.reject(new OrchError('unsupported', 'memory controller missing'));
    return watchOomV1(dir, onOom);
  }

  criuRootArgs(): string[] {
    return cgroupRootArgsV1(this.placement);
  }

  protected withPlacement(placement: CgroupPlacement): CgroupfsDriver {
    return new CgroupfsV1Driver(placement);
  }
}
