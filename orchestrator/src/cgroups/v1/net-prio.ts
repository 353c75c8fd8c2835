import type { LinuxNetwork } from '../../config/spec-types.js';
import { writeCgroupFile } from '../cgroup-file.js';

/** The v1 net_prio controller: per-interface priorities ("eth0 5" lines to net_prio.ifpriomap). */

export function netPrioIsSet(network: LinuxNetwork | undefined): boolean {
  return (network?.priorities ?? []).length > 0;
}

export function setNetPrioV1(dir: string, network: LinuxNetwork | undefined): void {
  for (const { name, priority } of network?.priorities ?? []) writeCgroupFile('net_prio', dir, 'net_prio.ifpriomap', `${name} ${priority}`);
}
