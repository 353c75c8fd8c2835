import type { LinuxDevice, LinuxResources } from '../config/spec-types.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { containerDeviceRules } from './devices/container-rules.js';
import { applyResourcesV1 } from './v1/apply.js';
import { applyResourcesV2 } from './v2/apply.js';

export interface ApplyOptions {
  /** linux.devices: a default device rule for a path listed there is left out, as runc does */
  deviceNodes?: readonly LinuxDevice[];
  /** leave the device rules alone (update, as runc's SkipDevices) */
  skipDevices?: boolean;
}

/**
 * Writes linux.resources into the container's cgroup (every field; runc's Manager.Set). At create
 * it runs before any process joins, so limits hold from the first instruction. The first value the
 * kernel refuses stops it, with an error naming the file; what was written stays (the caller
 * destroys the cgroup, or re-applies the previous resources).
 */
export function applyResources(p: CgroupPlacement, r: LinuxResources, options: ApplyOptions = {}): void {
  const devices = options.skipDevices ? undefined : containerDeviceRules(r.devices, options.deviceNodes);
  if (p.version === 2) {
    const dir = p.paths[''];
    if (dir !== undefined) applyResourcesV2(dir, r, devices);
    return;
  }
  applyResourcesV1(p, r, devices);
}
