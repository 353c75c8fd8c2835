import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { controllerDir } from './controller-dir.js';
import { watchOomV1 } from './v1/oom-events.js';
import { watchOomV2 } from './v2/oom-events.js';

/** A running OOM watch: `closed` settles once the cgroup is gone (v1) or empty (v2). */
export interface OomWatch {
  closed: Promise<void>;
  stop(): void;
}

/** Calls onOom for each OOM in the container's memory cgroup (runc's NotifyOOM). */
export function watchOom(p: CgroupPlacement, onOom: () => void): Promise<OomWatch> {
  if (p.version === 2) {
    const dir = p.paths[''];
    if (dir === undefined) throw new OrchError('system', 'cgroup v2 placement without a path');
    return watchOomV2(dir, onOom);
  }
  const dir = controllerDir(p, 'memory');
  if (dir === undefined) throw new OrchError('unsupported', 'memory controller missing');
  return watchOomV1(dir, onOom);
}
