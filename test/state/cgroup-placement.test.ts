import test from 'ava';
import { layoutFromMountinfo } from '../../orchestrator/src/cgroups/hierarchy.js';
import { parseMountinfo } from '../../orchestrator/src/cgroups/mountinfo.js';
import { cleanCgroupPath, computePlacement } from '../../orchestrator/src/cgroups/placement.js';
import { parseProcCgroup } from '../../orchestrator/src/cgroups/proc-cgroup.js';

// This development host: systemd's hybrid layout, orch itself in a memory sub-cgroup.
const HYBRID_MOUNTINFO = `23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
42 31 0:39 / /sys/fs/cgroup/elogind rw,relatime - cgroup cgroup rw,name=elogind
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 31 0:32 / /mnt/memory\\040again rw - cgroup cgroup rw,memory
`;
const HYBRID_SELF = `9:name=systemd:/user.slice/session-1.scope
5:devices:/
4:memory:/process_api/6421
3:cpuset:/
2:cpuacct,cpu:/
6:freezer:/
0::/user.slice/session-1.scope
`;

const V2_MOUNTINFO = `30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n`;
const V2_SELF = '0::/system.slice/containerd.service\n';

test('mountinfo: optional fields, octal escapes, super options', (t) => {
  const entries = parseMountinfo(HYBRID_MOUNTINFO);
  const cpu = entries.find((e) => e.mountPoint === '/sys/fs/cgroup/cpu,cpuacct');
  t.deepEqual(cpu, {
    id: 32,
    parentId: 31,
    root: '/',
    mountPoint: '/sys/fs/cgroup/cpu,cpuacct',
    fsType: 'cgroup',
    source: 'cgroup',
    superOptions: ['rw', 'cpu', 'cpuacct'],
  });
  t.truthy(entries.find((e) => e.mountPoint === '/mnt/memory again'));
});

test('/proc/self/cgroup: paths may contain colons', (t) => {
  t.deepEqual(parseProcCgroup('4:memory:/a:b\n0::/\n'), [
    { hierarchyId: 4, controllers: ['memory'], path: '/a:b' },
    { hierarchyId: 0, controllers: [], path: '/' },
  ]);
});

test('v1 layout: real controllers and name=systemd, first mount wins, hybrid cgroup2 noted', (t) => {
  const layout = layoutFromMountinfo(HYBRID_MOUNTINFO, false);
  if (layout.version !== 1) return t.fail();
  t.deepEqual(
    layout.hierarchies.map((h) => [h.mountPoint, h.controllers.join(',')]),
    [
      ['/sys/fs/cgroup/cpu,cpuacct', 'cpu,cpuacct'],
      ['/sys/fs/cgroup/cpuset', 'cpuset'],
      ['/sys/fs/cgroup/memory', 'memory'],
      ['/sys/fs/cgroup/devices', 'devices'],
      ['/sys/fs/cgroup/freezer', 'freezer'],
      ['/sys/fs/cgroup/systemd', 'name=systemd'],
    ],
  );
  t.deepEqual(layout.hybrid, { mountPoint: '/sys/fs/cgroup/unified', root: '/' });
});

test('v1, no cgroupsPath: the id, relative to orch\'s own cgroup in each hierarchy (as runc put c1 here)', (t) => {
  const p = computePlacement({ layout: layoutFromMountinfo(HYBRID_MOUNTINFO, false), self: parseProcCgroup(HYBRID_SELF), cgroupsPath: undefined, id: 'c1' });
  t.deepEqual(p, {
    version: 1,
    paths: {
      // keyed as /proc/self/cgroup spells the hierarchy
      'cpuacct,cpu': '/sys/fs/cgroup/cpu,cpuacct/c1',
      cpuset: '/sys/fs/cgroup/cpuset/c1',
      memory: '/sys/fs/cgroup/memory/process_api/6421/c1',
      devices: '/sys/fs/cgroup/devices/c1',
      freezer: '/sys/fs/cgroup/freezer/c1',
      'name=systemd': '/sys/fs/cgroup/systemd/user.slice/session-1.scope/c1',
      '': '/sys/fs/cgroup/unified/user.slice/session-1.scope/c1',
    },
  });
});

test('v1, absolute cgroupsPath: from each mount point', (t) => {
  const p = computePlacement({ layout: layoutFromMountinfo(HYBRID_MOUNTINFO, false), self: parseProcCgroup(HYBRID_SELF), cgroupsPath: '/machine/c1/', id: 'c1' });
  t.is(p.paths['memory'], '/sys/fs/cgroup/memory/machine/c1');
  t.is(p.paths['name=systemd'], '/sys/fs/cgroup/systemd/machine/c1');
  t.is(p.paths[''], '/sys/fs/cgroup/unified/machine/c1');
});

test('v1 without the devices controller is refused', (t) => {
  const noDevices = HYBRID_MOUNTINFO.split('\n').filter((l) => !l.includes('devices')).join('\n');
  t.throws(() => computePlacement({ layout: layoutFromMountinfo(noDevices, false), self: [], cgroupsPath: '', id: 'c1' }), {
    message: 'cgroup v1: the devices controller is not mounted',
  });
});

test('v2: relative paths hang off the parent of orch\'s own cgroup', (t) => {
  const layout = layoutFromMountinfo(V2_MOUNTINFO, true);
  const self = parseProcCgroup(V2_SELF);
  t.deepEqual(computePlacement({ layout, self, cgroupsPath: '', id: 'c1' }), { version: 2, paths: { '': '/sys/fs/cgroup/system.slice/c1' } });
  t.deepEqual(computePlacement({ layout, self, cgroupsPath: 'k8s/pod1/c1', id: 'c1' }).paths, { '': '/sys/fs/cgroup/system.slice/k8s/pod1/c1' });
  t.deepEqual(computePlacement({ layout, self, cgroupsPath: '/k8s/pod1/c1', id: 'c1' }).paths, { '': '/sys/fs/cgroup/k8s/pod1/c1' });
  // orch at the root (e.g. in its own cgroup namespace)
  t.deepEqual(computePlacement({ layout, self: parseProcCgroup('0::/\n'), cgroupsPath: '', id: 'c1' }).paths, { '': '/sys/fs/cgroup/c1' });
});

test('nested: a cgroup mount showing a sub-tree, /proc/self/cgroup naming host paths', (t) => {
  const mountinfo = '30 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n';
  const p = computePlacement({ layout: layoutFromMountinfo(mountinfo, true), self: parseProcCgroup('0::/docker/abc/init\n'), cgroupsPath: '', id: 'c1' });
  t.deepEqual(p.paths, { '': '/sys/fs/cgroup/c1' });
});

test('cgroupsPath cannot climb out, nor be a hierarchy\'s root', (t) => {
  t.is(cleanCgroupPath('../../etc'), 'etc');
  t.is(cleanCgroupPath('a/../../b'), 'b');
  t.is(cleanCgroupPath('/a/../../b/'), '/b');
  t.is(cleanCgroupPath('.'), '.');
  t.is(cleanCgroupPath(''), '');
  const layout = layoutFromMountinfo(V2_MOUNTINFO, true);
  t.is(computePlacement({ layout, self: [], cgroupsPath: '../../x', id: 'c1' }).paths[''], '/sys/fs/cgroup/x');
  t.throws(() => computePlacement({ layout, self: [], cgroupsPath: '/', id: 'c1' }), { message: /is the root cgroup/ });
});
