import type { LinuxNetwork } from '../../config/spec-types.js';
import { writeCgroupFile } from '../cgroup-file.js';

/** The v1 net_cls controller: the class id tc and iptables see on the container's packets. */

export function netClsIsSet(network: LinuxNetwork | undefined): boolean {
  return (network?.classID ?? 0) !== 0;
}

export function setNetClsV1(dir: string, network: LinuxNetwork | undefined): void {
  if (netClsIsSet(network)) writeCgroupFile('net_cls', dir, 'net_cls.classid', String(network?.classID));
}
