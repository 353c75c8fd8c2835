import type { LinuxCpu } from '../../config/spec-types.js';
import { writeCgroupFile } from '../cgroup-file.js';

/** The v2 cpuset controller: cpuset.cpus and cpuset.mems (empty leaves the parent's). */
export function setCpusetV2(dir: string, cpu: LinuxCpu | undefined): void {
  if ((cpu?.cpus ?? '') !== '') writeCgroupFile('cpuset', dir, 'cpuset.cpus', cpu?.cpus ?? '');
  if ((cpu?.mems ?? '') !== '') writeCgroupFile('cpuset', dir, 'cpuset.mems', cpu?.mems ?? '');
}
