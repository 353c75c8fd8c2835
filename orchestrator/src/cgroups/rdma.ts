import type { LinuxResources } from '../config/spec-types.js';
import { writeCgroupFile } from './cgroup-file.js';

/** The rdma controller, the same on v1 and v2: "<device> hca_handle=N hca_object=M" lines to rdma.max. */

export type RdmaLimits = NonNullable<LinuxResources['rdma']>;

export function rdmaIsSet(rdma: RdmaLimits | undefined): boolean {
  return rdma !== undefined && Object.keys(rdma).length > 0;
}

export function setRdma(dir: string, rdma: RdmaLimits | undefined): void {
  for (const [device, limits] of Object.entries(rdma ?? {})) writeCgroupFile('rdma', dir, 'rdma.max', rdmaMaxLine(device, limits));
}

export function rdmaMaxLine(device: string, limits: { hcaHandles?: number; hcaObjects?: number }): string {
  let line = device;
  if (limits.hcaHandles !== undefined) line += ` hca_handle=${limits.hcaHandles}`;
  if (limits.hcaObjects !== undefined) line += ` hca_object=${limits.hcaObjects}`;
  return line;
}
