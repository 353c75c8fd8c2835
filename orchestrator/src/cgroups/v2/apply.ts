import type { LinuxResources } from '../../config/spec-types.js';
import { logger } from '../../log/logger.js';
import { readCgroupFile } from '../cgroup-file.js';
import type { DeviceRule } from '../devices/device-rule.js';
import { setRdma } from '../rdma.js';
import { setCpuV2 } from './cpu.js';
import { setCpusetV2 } from './cpuset.js';
import { setDevicesV2 } from './devices.js';
import { setHugetlbV2 } from './hugetlb.js';
import { setIoV2 } from './io.js';
import { setMemoryV2 } from './memory.js';
import { setPidsV2 } from './pids.js';
import { setUnifiedV2 } from './unified.js';

/**
 * Every linux.resources field onto the container's v2 cgroup, in runc's order (fs2.Manager.Set);
 * unified last, so its raw values win. devices: undefined leaves the device filter as it is (update).
 */
export function applyResourcesV2(dir: string, r: LinuxResources, devices: readonly DeviceRule[] | undefined): void {
  // a cgroup that is gone (or never was) fails here with its path, not at some controller file
  readCgroupFile('cgroup', dir, 'cgroup.controllers');
  noteIgnored(r);
  setPidsV2(dir, r.pids);
  setMemoryV2(dir, r.memory);
  setIoV2(dir, r.blockIO);
  setCpuV2(dir, r.cpu);
  if (devices !== undefined) setDevicesV2(dir, devices);
  setCpusetV2(dir, r.cpu);
  setHugetlbV2(dir, r.hugepageLimits);
  setRdma(dir, r.rdma);
  setUnifiedV2(dir, r.unified);
}

/** Fields v2 has no file for: runc ignores them silently; orch says so at debug level. */
function noteIgnored(r: LinuxResources): void {
  const ignored: string[] = [];
  if (r.memory?.swappiness !== undefined) ignored.push('memory.swappiness');
  if (r.memory?.disableOOMKiller === true) ignored.push('memory.disableOOMKiller');
  if ((r.cpu?.realtimeRuntime ?? 0) !== 0 || (r.cpu?.realtimePeriod ?? 0) !== 0) ignored.push('cpu.realtimeRuntime/realtimePeriod');
  if ((r.blockIO?.leafWeight ?? 0) !== 0) ignored.push('blockIO.leafWeight');
  if (r.network !== undefined) ignored.push('network');
  if (ignored.length > 0) logger().debug(`cgroup v2 has no equivalent of linux.resources ${ignored.join(', ')}: ignored`);
}

