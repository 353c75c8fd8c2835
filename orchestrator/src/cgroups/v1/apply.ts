import { OrchError } from '../../errors/orch-error.js';
import type { LinuxResources } from '../../config/spec-types.js';
import type { CgroupPlacement } from '../../state/container-record.js';
import { controllerDir } from '../controller-dir.js';
import type { DeviceRule } from '../devices/device-rule.js';
import { rdmaIsSet, setRdma } from '../rdma.js';
import { blkioIsSet, setBlkioV1 } from './blkio.js';
import { cpuV1IsSet, setCpuV1 } from './cpu.js';
import { cpusetIsSet, setCpusetV1 } from './cpuset.js';
import { setDevicesV1 } from './devices.js';
import { setHugetlbV1 } from './hugetlb.js';
import { memoryV1IsSet, setMemoryV1 } from './memory.js';
import { netClsIsSet, setNetClsV1 } from './net-cls.js';
import { netPrioIsSet, setNetPrioV1 } from './net-prio.js';
import { setPidsV1 } from './pids.js';

/**
 * Every linux.resources field onto the v1 hierarchies, controller by controller in runc's order
 * (fs.Manager.Set). A controller with something to set but no mounted hierarchy is an error.
 * devices: undefined leaves the device rules as they are (update).
 */
interface Step {
  controller: string;
  isSet(r: LinuxResources): boolean;
  set(dir: string, r: LinuxResources): void;
}

export function applyResourcesV1(p: CgroupPlacement, r: LinuxResources, devices: readonly DeviceRule[] | undefined): void {
  // runc refuses unified on v1, hybrid hosts included: a v2 key there would apply to nothing the v1 controllers govern
  if (r.unified !== undefined) throw new OrchError('invalid-config', 'invalid configuration: cannot use unified on cgroup v1');
  const steps: Step[] = [
    { controller: 'cpuset', isSet: (x) => cpusetIsSet(x.cpu), set: (dir, x) => setCpusetV1(dir, x.cpu) },
    ...(devices === undefined ? [] : [{ controller: 'devices', isSet: () => true, set: (dir: string) => setDevicesV1(dir, devices) }]),
    { controller: 'memory', isSet: (x) => memoryV1IsSet(x.memory), set: (dir, x) => setMemoryV1(dir, x.memory) },
    { controller: 'cpu', isSet: (x) => cpuV1IsSet(x.cpu), set: (dir, x) => setCpuV1(dir, x.cpu) },
    { controller: 'pids', isSet: (x) => x.pids?.limit !== undefined, set: (dir, x) => setPidsV1(dir, x.pids) },
    { controller: 'blkio', isSet: (x) => blkioIsSet(x.blockIO), set: (dir, x) => setBlkioV1(dir, x.blockIO) },
    { controller: 'hugetlb', isSet: (x) => (x.hugepageLimits ?? []).length > 0, set: (dir, x) => setHugetlbV1(dir, x.hugepageLimits) },
    { controller: 'net_cls', isSet: (x) => netClsIsSet(x.network), set: (dir, x) => setNetClsV1(dir, x.network) },
    { controller: 'net_prio', isSet: (x) => netPrioIsSet(x.network), set: (dir, x) => setNetPrioV1(dir, x.network) },
    { controller: 'rdma', isSet: (x) => rdmaIsSet(x.rdma), set: (dir, x) => setRdma(dir, x.rdma) },
  ];
  for (const step of steps) {
    if (!step.isSet(r)) continue;
    const dir = controllerDir(p, step.controller);
    if (dir === undefined) {
      throw new OrchError('unsupported', `cgroup ${step.controller}: cannot set ${step.controller} limits: no cgroup v1 hierarchy with the ${step.controller} controller is mounted`);
    }
    step.set(dir, r);
  }
}
