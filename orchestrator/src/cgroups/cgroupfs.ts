import type { CgroupPlacement } from '../state/container-record.js';
import type { CgroupfsDriver } from './cgroupfs-driver.js';
import { CgroupfsV1Driver } from './v1/v1-driver.js';
import { CgroupfsV2Driver } from './v2/v2-driver.js';

/** The cgroupfs driver of the placement's version (systemd's driver does its file work through it). */
export function cgroupfsDriver(placement: CgroupPlacement): CgroupfsDriver {
  return placement.version === 2 ? new CgroupfsV2Driver(placement) : new CgroupfsV1Driver(placement);
}
