import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyResources } from '../../orchestrator/src/cgroups/apply-resources.js';
import type { LinuxResources } from '../../orchestrator/src/config/spec-types.js';

/**
 * Which file each linux.resources field lands in, with which text, on fake cgroup dirs (plain
 * files: the last write to a file is what it holds). The kernel's side is tested by the container
 * tests and, for v2, in the VM.
 */
function fakeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'orch-fake-cg-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

const resources: LinuxResources = {
  memory: { limit: 67108864, reservation: 33554432, swap: 134217728, swappiness: 10, disableOOMKiller: true },
  cpu: { shares: 1024, quota: 50000, period: 100000, burst: 1000, realtimeRuntime: 9000, realtimePeriod: 10000, cpus: '0', mems: '0', idle: 0 },
  pids: { limit: 0 },
  blockIO: { weight: 500, leafWeight: 300, weightDevice: [{ major: 8, minor: 0, weight: 600 }], throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }], throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 100 }] },
  hugepageLimits: [{ pageSize: '2MB', limit: 2097152 }],
  network: { classID: 1048577, priorities: [{ name: 'eth0', priority: 5 }] },
  rdma: { mlx5_1: { hcaHandles: 3 } },
};

test('v1: every field in its controller file', (t) => {
  const memory = fakeDir({ 'memory.limit_in_bytes': '9223372036854771712\n', 'memory.memsw.limit_in_bytes': '', 'memory.soft_limit_in_bytes': '', 'memory.oom_control': '', 'memory.swappiness': '' });
  const cpu = fakeDir({ 'cpu.shares': '1024\n', 'cpu.cfs_quota_us': '', 'cpu.cfs_period_us': '', 'cpu.cfs_burst_us': '', 'cpu.idle': '', 'cpu.rt_runtime_us': '', 'cpu.rt_period_us': '' });
  const cpuset = fakeDir({ 'cpuset.cpus': '', 'cpuset.mems': '' });
  const pids = fakeDir({ 'pids.max': '' });
  const blkio = fakeDir({ 'blkio.bfq.weight': '', 'blkio.leaf_weight': '', 'blkio.bfq.weight_device': '', 'blkio.throttle.read_bps_device': '', 'blkio.throttle.write_iops_device': '' });
  const hugetlb = fakeDir({ 'hugetlb.2MB.limit_in_bytes': '', 'hugetlb.2MB.rsvd.limit_in_bytes': '' });
  // co-mounted, as most distributions mount them
  const net = fakeDir({ 'net_cls.classid': '', 'net_prio.ifpriomap': '' });
  const rdma = fakeDir({ 'rdma.max': '' });
  applyResources(
    { version: 1, paths: { memory, 'cpu,cpuacct': cpu, cpuset, pids, blkio, hugetlb, 'net_cls,net_prio': net, rdma, devices: mkdtempSync(join(tmpdir(), 'orch-fake-cg-')) } },
    resources,
    { skipDevices: true },
  );
  t.is(read(memory, 'memory.limit_in_bytes'), '67108864');
  t.is(read(memory, 'memory.memsw.limit_in_bytes'), '134217728');
  t.is(read(memory, 'memory.soft_limit_in_bytes'), '33554432');
  t.is(read(memory, 'memory.oom_control'), '1');
  t.is(read(memory, 'memory.swappiness'), '10');
  t.is(read(cpu, 'cpu.shares'), '1024');
  t.is(read(cpu, 'cpu.cfs_quota_us'), '50000');
  t.is(read(cpu, 'cpu.cfs_period_us'), '100000');
  t.is(read(cpu, 'cpu.cfs_burst_us'), '1000');
  t.is(read(cpu, 'cpu.idle'), '0');
  t.is(read(cpu, 'cpu.rt_runtime_us'), '9000');
  t.is(read(cpu, 'cpu.rt_period_us'), '10000');
  t.is(read(cpuset, 'cpuset.cpus'), '0');
  t.is(read(pids, 'pids.max'), '1');
  t.is(read(blkio, 'blkio.bfq.weight'), '500');
  t.is(read(blkio, 'blkio.leaf_weight'), '300');
  t.is(read(blkio, 'blkio.bfq.weight_device'), '8:0 600');
  t.is(read(blkio, 'blkio.throttle.read_bps_device'), '8:0 1048576');
  t.is(read(blkio, 'blkio.throttle.write_iops_device'), '8:0 100');
  t.is(read(hugetlb, 'hugetlb.2MB.limit_in_bytes'), '2097152');
  t.is(read(hugetlb, 'hugetlb.2MB.rsvd.limit_in_bytes'), '2097152');
  t.is(read(net, 'net_cls.classid'), '1048577');
  t.is(read(net, 'net_prio.ifpriomap'), 'eth0 5');
  t.is(read(rdma, 'rdma.max'), 'mlx5_1 hca_handle=3');
});

test('v1: a field whose controller is not mounted fails, naming it; unified is refused', (t) => {
  const memory = fakeDir({ 'memory.limit_in_bytes': '1\n' });
  t.throws(() => applyResources({ version: 1, paths: { memory } }, { hugepageLimits: [{ pageSize: '2MB', limit: 1 }] }, { skipDevices: true }), {
    message: /^cgroup hugetlb: cannot set hugetlb limits: no cgroup v1 hierarchy with the hugetlb controller is mounted/,
  });
  t.throws(() => applyResources({ version: 1, paths: { memory } }, { unified: { 'memory.max': '1' } }, { skipDevices: true }), {
    message: 'invalid configuration: cannot use unified on cgroup v1',
  });
});

test('v1: memory+swap is written before a larger memory limit, after a smaller one', (t) => {
  const memory = fakeDir({ 'memory.limit_in_bytes': '100\n', 'memory.memsw.limit_in_bytes': '' });
  applyResources({ version: 1, paths: { memory } }, { memory: { limit: 50, swap: 80 } }, { skipDevices: true });
  // current 100 >= swap 80: memory first (lowering it makes room), then swap
  t.is(read(memory, 'memory.limit_in_bytes'), '50');
  t.is(read(memory, 'memory.memsw.limit_in_bytes'), '80');
  t.throws(() => applyResources({ version: 1, paths: { memory } }, { memory: { swappiness: 101 } }, { skipDevices: true }), {
    message: 'invalid memory swappiness value: 101 (valid range is 0-100)',
  });
});

test('v2: every field in its file, converted', (t) => {
  const dir = fakeDir({
    'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma\n',
    'memory.max': '',
    'memory.swap.max': '',
    'memory.low': '',
    'cpu.weight': '',
    'cpu.max': '',
    'cpu.max.burst': '',
    'cpu.idle': '',
    'cpuset.cpus': '',
    'cpuset.mems': '',
    'pids.max': '',
    'io.weight': '',
    'io.max': '',
    'hugetlb.2MB.max': '',
    'rdma.max': '',
    'memory.high': '',
  });
  applyResources({ version: 2, paths: { '': dir } }, { ...resources, unified: { 'memory.high': '50000000' } }, { skipDevices: true });
  t.is(read(dir, 'memory.max'), '67108864');
  t.is(read(dir, 'memory.swap.max'), '67108864', 'swap alone: memory+swap minus memory');
  t.is(read(dir, 'memory.low'), '33554432');
  t.is(read(dir, 'cpu.weight'), '100');
  t.is(read(dir, 'cpu.max'), '50000 100000');
  t.is(read(dir, 'cpu.max.burst'), '1000');
  t.is(read(dir, 'cpu.idle'), '0');
  t.is(read(dir, 'cpuset.cpus'), '0');
  t.is(read(dir, 'cpuset.mems'), '0');
  t.is(read(dir, 'pids.max'), '1');
  t.is(read(dir, 'io.weight'), '4950', 'no BFQ: io.weight, converted');
  t.is(read(dir, 'io.max'), '8:0 wiops=100', 'throttles go to io.max, one write each (the last is left here)');
  t.is(read(dir, 'hugetlb.2MB.max'), '2097152');
  t.is(read(dir, 'rdma.max'), 'mlx5_1 hca_handle=3');
  t.is(read(dir, 'memory.high'), '50000000', 'unified keys are written as given');
});

test('v2: unified keys are checked as runc checks them', (t) => {
  const dir = fakeDir({ 'cgroup.controllers': 'cpu memory\n' });
  const apply = (unified: Record<string, string>): void => applyResources({ version: 2, paths: { '': dir } }, { unified }, { skipDevices: true });
  t.throws(() => apply({ '../x': '1' }), { message: 'unified resource "../x" must be a file name (no slashes)' });
  t.throws(() => apply({ 'pids.max': '1' }), { message: 'unified resource "pids.max" can\'t be set: controller "pids" not available' });
  t.throws(() => apply({ 'memory.nope': '1' }), { message: /^unable to set unified resource "memory.nope": cgroup unified: open .*memory.nope: no such file or directory$/ });
});

test('a value the kernel rejects names the controller, the file and the errno', (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'orch-fake-cg-')), 'gone');
  mkdirSync(dir);
  t.throws(() => applyResources({ version: 2, paths: { '': dir } }, { pids: { limit: 3 } }, { skipDevices: true }), {
    message: `cgroup cgroup: read ${dir}/cgroup.controllers: no such file or directory`,
  });
});
