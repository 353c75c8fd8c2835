import test from 'ava';
import { expandSlice, systemdUnit } from '../../orchestrator/src/cgroups/systemd/unit-path.js';
import { systemdRunning } from '../../orchestrator/src/cgroups/systemd/systemd-running.js';
import { setUpContainerCgroup } from '../../orchestrator/src/cgroups/container-cgroup.js';
import { resourceProperties, rangeToBits } from '../../orchestrator/src/cgroups/systemd/resource-properties.js';
import { deviceProperties, deviceGroup } from '../../orchestrator/src/cgroups/systemd/device-properties.js';
import { annotationProperties, parseGVariant } from '../../orchestrator/src/cgroups/systemd/annotation-properties.js';
import { containerDeviceRules } from '../../orchestrator/src/cgroups/devices/container-rules.js';
import { Variant } from '../../orchestrator/src/cgroups/systemd/dbus/wire.js';
import type { UnitProperty } from '../../orchestrator/src/cgroups/systemd/systemd-manager.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';

const INFINITY = 0xffff_ffff_ffff_ffffn;

/** properties as name → [signature, value], for readable assertions */
function byName(props: UnitProperty[]): Record<string, [string, unknown]> {
  const out: Record<string, [string, unknown]> = {};
  for (const [name, v] of props) out[name] = [v.signature, Buffer.isBuffer(v.value) ? [...v.value] : v.value];
  return out;
}

test('"slice:prefix:name" names a scope in an expanded slice, as runc', (t) => {
  t.deepEqual(systemdUnit('system.slice:docker:1234', 'c1'), { slice: 'system.slice', unit: 'docker-1234.scope', name: '1234', cgroup: '/system.slice/docker-1234.scope' });
  t.deepEqual(systemdUnit('machine-test-a.slice:crio:abc', 'c1'), {
    slice: 'machine-test-a.slice',
    unit: 'crio-abc.scope',
    name: 'abc',
    cgroup: '/machine.slice/machine-test.slice/machine-test-a.slice/crio-abc.scope',
  });
  t.is(systemdUnit(':p:n', 'c1').slice, 'system.slice');
  t.is(systemdUnit(':p:n', 'c1', true).slice, 'user.slice');
  t.is(systemdUnit('', 'c1').unit, 'orch-c1.scope');
  t.is(systemdUnit('a.slice:p:my.slice', 'c1').unit, 'my.slice', 'a name ending in .slice is a slice, not a scope');
  t.throws(() => systemdUnit('/plain/path', 'c1'), { message: 'expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "/plain/path" instead' });
  t.is(expandSlice('-.slice'), '/');
  t.throws(() => expandSlice('a--b.slice'), { message: 'invalid slice name: a--b.slice' });
  t.throws(() => expandSlice('nope'), { message: 'invalid slice name: nope' });
});

test('--systemd-cgroup checks the path first, then that systemd runs', async (t) => {
  const spec = (cgroupsPath: string): Spec => ({ ociVersion: '1.3.0', root: { path: 'rootfs' }, linux: { cgroupsPath } }) as Spec;
  const setUp = (s: Spec): Promise<unknown> => setUpContainerCgroup(s, 'c1', { systemd: true, rootless: false });
  await t.throwsAsync(setUp(spec('/bad')), { message: /expected cgroupsPath to be of format "slice:prefix:name"/ });
  if (!systemdRunning()) {
    await t.throwsAsync(setUp(spec('system.slice:orch:c1')), { message: 'systemd not running on this host, cannot use systemd cgroups manager' });
  } else {
    t.pass('systemd runs here: test/systemd covers the rest');
  }
});

test('v1 resources: MemoryLimit, CPUShares, BlockIOWeight, TasksMax, AllowedCPUs as runc sends them', (t) => {
  const { properties, resources } = resourceProperties(1, { memory: { limit: 64 << 20 }, cpu: { shares: 512, cpus: '0-3,8', mems: '0' }, blockIO: { weight: 300 }, pids: { limit: 0 } }, 252);
  t.deepEqual(byName(properties), {
    MemoryLimit: ['t', 67108864n],
    CPUShares: ['t', 512n],
    BlockIOWeight: ['t', 300n],
    TasksMax: ['t', 1n], // systemd cannot take 0
    AllowedCPUs: ['ay', [0x0f, 0x01]],
    AllowedMemoryNodes: ['ay', [0x01]],
  });
  t.is(resources.cpu?.shares, 512, 'cgroupfs gets the same');
});

test('v2 resources: MemoryMax/Low/SwapMax, CPUWeight from shares, infinity for -1', (t) => {
  const { properties } = resourceProperties(2, { memory: { limit: 100, reservation: 50, swap: 300 }, cpu: { shares: 1024 }, pids: { limit: -1 } }, 252);
  t.deepEqual(byName(properties), {
    MemoryMax: ['t', 100n],
    MemoryLow: ['t', 50n],
    MemorySwapMax: ['t', 200n], // memory+swap 300 minus memory
    CPUWeight: ['t', 100n],
    TasksMax: ['t', INFINITY],
  });
  const idle = byName(resourceProperties(2, { cpu: { idle: 1, shares: 1024 } }, 252).properties);
  t.deepEqual(idle['CPUWeight'], ['t', 0n], 'cpu.idle wins over the weight (systemd 252+)');
  t.deepEqual(byName(resourceProperties(2, { cpu: { idle: 1 } }, 251).properties), {}, 'older systemd: cgroupfs only');
});

test('a CPU quota is rounded up to whole percents, and cgroupfs gets the rounded value', (t) => {
  const { properties, resources } = resourceProperties(2, { cpu: { quota: 12345, period: 100000 } }, 252);
  t.deepEqual(byName(properties), { CPUQuotaPeriodUSec: ['t', 100000n], CPUQuotaPerSecUSec: ['t', 130000n] });
  t.is(resources.cpu?.quota, 13000);
  const exact = resourceProperties(1, { cpu: { quota: 50000, period: 100000 } }, 241);
  t.deepEqual(byName(exact.properties), { CPUQuotaPerSecUSec: ['t', 500000n] }, 'no period property before systemd 242');
  t.deepEqual(byName(resourceProperties(2, { cpu: { quota: -1, period: 50000 } }, 252).properties), { CPUQuotaPeriodUSec: ['t', 50000n], CPUQuotaPerSecUSec: ['t', INFINITY] });
});

test('unified keys with a systemd property are converted; bad keys name the key', (t) => {
  const { properties } = resourceProperties(2, { unified: { 'memory.high': '1000', 'memory.max': 'max', 'pids.max': '0', 'cpu.max': '20000 100000', 'io.weight': '50' } }, 252);
  t.deepEqual(byName(properties), {
    MemoryHigh: ['t', 1000n],
    MemoryMax: ['t', INFINITY],
    TasksMax: ['t', 1n],
    CPUQuotaPeriodUSec: ['t', 100000n],
    CPUQuotaPerSecUSec: ['t', 200000n],
  });
  t.throws(() => resourceProperties(2, { unified: { 'memory/max': '1' } }, 252), { message: 'linux.resources.unified["memory/max"]: must be a file name (no slashes)' });
  t.throws(() => resourceProperties(2, { unified: { memory: '1' } }, 252), { message: /must be in the form CONTROLLER.PARAMETER/ });
  t.throws(() => resourceProperties(2, { unified: { 'pids.max': 'lots' } }, 252), { message: /pids.max.*"lots" is not a number/ });
});

test('CPU lists as bitmasks: byte 0 holds CPUs 0-7', (t) => {
  t.deepEqual([...rangeToBits('0', 'x')], [1]);
  t.deepEqual([...rangeToBits('1,3-5', 'x')], [0b0011_1010]);
  t.deepEqual([...rangeToBits('9', 'x')], [0, 2]);
  t.throws(() => rangeToBits('3-1', 'linux.resources.cpu.cpus'), { message: /linux.resources.cpu.cpus: the list has the backward range "3-1"/ });
});

test("the default device rules become DevicePolicy=strict with runc's DeviceAllow list", (t) => {
  const props = deviceProperties(containerDeviceRules(undefined, undefined), 252);
  t.deepEqual(
    props.map(([name, v]) => [name, v.value]),
    [
      ['DeviceAllow', []],
      ['DevicePolicy', 'strict'],
      [
        'DeviceAllow',
        [
          ['block-*', 'm'],
          ['char-*', 'm'],
          ['/dev/char/1:3', 'rwm'],
          ['/dev/char/1:5', 'rwm'],
          ['/dev/char/1:7', 'rwm'],
          ['/dev/char/1:8', 'rwm'],
          ['/dev/char/1:9', 'rwm'],
          ['/dev/char/5:0', 'rwm'],
          ['/dev/char/5:2', 'rwm'],
          ['/dev/char/10:200', 'rwm'],
          ['char-136', 'rwm'],
        ],
      ],
    ],
  );
  t.is(props[2]?.[1].signature, 'a(ss)');
});

test('allow-all devices is DevicePolicy=auto; old systemd names a major by its /proc/devices group', (t) => {
  const all = deviceProperties([{ type: 'a', major: -1, minor: -1, access: 'rwm', allow: true }], 252);
  t.deepEqual(
    all.map(([name, v]) => [name, v.value]),
    [
      ['DeviceAllow', []],
      ['DevicePolicy', 'auto'],
    ],
  );
  const proc = 'Character devices:\n  1 mem\n136 pts\n\nBlock devices:\n  7 loop\n';
  t.is(deviceGroup(proc, 'c', 136), 'pts');
  t.is(deviceGroup(proc, 'b', 7), 'loop');
  t.is(deviceGroup(proc, 'b', 136), undefined);
  const old = deviceProperties([{ type: 'c', major: 136, minor: -1, access: 'rw', allow: true }], 239, () => proc);
  t.deepEqual(old[2]?.[1].value, [['char-pts', 'rw']]);
});

test('org.systemd.property.* annotations: GVariant text, Sec names sent as USec', (t) => {
  const props = annotationProperties({
    'org.systemd.property.TimeoutStopSec': 'uint64 123',
    'org.systemd.property.CollectMode': "'inactive-or-failed'",
    'org.systemd.property.Delegate': 'true',
    'other.annotation': 'x',
  });
  t.deepEqual(byName(props), {
    TimeoutStopUSec: ['t', 123000000n],
    CollectMode: ['s', 'inactive-or-failed'],
    Delegate: ['b', true],
  });
  t.throws(() => annotationProperties({ 'org.systemd.property.Ab': 'true' }), { message: 'annotation org.systemd.property.Ab name incorrect: too short' });
  t.throws(() => annotationProperties({ 'org.systemd.property.Bad-Name': 'true' }), { message: /name incorrect: contains non-alphabetic character/ });
  t.throws(() => annotationProperties({ 'org.systemd.property.TimeoutStopSec': "'soon'" }), { message: /TimeoutStopSec='soon' value parse error: not a number/ });
});

test('GVariant text: typed and bare numbers, arrays, escapes', (t) => {
  const v = (text: string): [string, unknown] => {
    const p = parseGVariant(text);
    return [p.signature, p.value];
  };
  t.deepEqual(v('42'), ['i', 42]);
  t.deepEqual(v('int64 -5'), ['x', -5n]);
  t.deepEqual(v('1.5'), ['d', 1.5]);
  t.deepEqual(v("['a', 'b\\'c']"), ['as', ['a', "b'c"]]);
  t.deepEqual(v('@as []'), ['as', []]);
  t.deepEqual(v('@au [1, 2]'), ['au', [1, 2]]);
  t.throws(() => parseGVariant('uint32 -1'), { message: /out of range/ });
  t.throws(() => parseGVariant('[]'), { message: /type of an empty array/ });
  t.true(parseGVariant('"x"') instanceof Variant);
});
