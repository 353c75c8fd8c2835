import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError, systemError } from '../../errors/orch-error.js';
import type { CgroupPlacement } from '../../state/container-record.js';
import { CgroupfsDriver } from '../cgroupfs-driver.js';
import { cgroupRootArgsV2 } from '../criu-root.js';
import type { OomWatch } from '../oom-watch.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';
import { collectStatsV2 } from '../stats/collect-stats.js';
import { makeV2Dir } from './create.js';
import { freezeV2, isFrozenV2, thawV2 } from './freezer.js';
import { watchOomV2 } from './oom-events.js';

/** cgroupfs on cgroup v2: one dir, {"": dir}. */
export class CgroupfsV2Driver extends CgroupfsDriver {
  private dir(): string {
    const dir = this.placement.paths[''];
    if (dir === undefined) throw new OrchError('system', 'cgroup v2 placement without a path');
    return dir;
  }

  protected primaryDir(): string | undefined {
    return this.placement.paths[''];
  }

  protected makeDir(_key: string, dir: string): void {
    try {
      makeV2Dir(dir);
    } catch (err) {
      throw err instanceof OrchError ? err : systemError(`create cgroup ${dir}`, err);
    }
  }

  protected freezerDir(): string | undefined {
    return this.placement.paths[''];
  }

  protected freezeDir(dir: string): void {
    freezeV2(dir);
  }

  protected thawDir(dir: string): void {
    thawV2(dir);
  }

  protected frozenDir(dir: string): boolean {
    return isFrozenV2(dir);
  }

  protected killAtomically(dir: string): boolean {
    const file = join(dir, 'cgroup.kill');
    if (!existsSync(file)) return false; // before Linux 5.14
    try {
      writeFileSync(file, '1');
      return true;
    } catch (err) {
      throw systemError(`write ${file}`, err);
    }
  }

  stats(): CgroupStats {
    return collectStatsV2(this.dir());
  }

  watchOom(onOom: () => void): Promise<OomWatch> {
    return watchOomV2(this.dir(), onOom);
  }

  criuRootArgs(): string[] {
    return cgroupRootArgsV2(this.placement);
  }

  protected withPlacement(placement: CgroupPlacement): CgroupfsDriver {
    return new CgroupfsV2Driver(placement);
  }
}
