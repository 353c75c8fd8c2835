import test from 'ava';
import { expandSlice, systemdUnit } from '../../orchestrator/src/cgroups/systemd/unit-path.js';
import { systemdRunning } from '../../orchestrator/src/cgroups/systemd/systemd-running.js';
import { planCgroup } from '../../orchestrator/src/cgroups/cgroup-manager.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';

test('"slice:prefix:name" names a scope in an expanded slice, as runc', (t) => {
  t.deepEqual(systemdUnit('system.slice:docker:1234', 'c1'), { slice: 'system.slice', unit: 'docker-1234.scope', cgroup: '/system.slice/docker-1234.scope' });
  t.deepEqual(systemdUnit('machine-test-a.slice:crio:abc', 'c1'), {
    slice: 'machine-test-a.slice',
    unit: 'crio-abc.scope',
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

test('--systemd-cgroup without systemd fails clearly, after the path check', (t) => {
  const spec = (cgroupsPath: string): Spec => ({ ociVersion: '1.3.0', root: { path: 'rootfs' }, linux: { cgroupsPath } }) as Spec;
  t.throws(() => planCgroup(spec('/bad'), 'c1', { systemd: true }), { message: /expected cgroupsPath to be of format "slice:prefix:name"/ });
  if (systemdRunning()) {
    t.throws(() => planCgroup(spec('system.slice:orch:c1'), 'c1', { systemd: true }), { message: /D-Bus API is not implemented yet/ });
  } else {
    t.throws(() => planCgroup(spec('system.slice:orch:c1'), 'c1', { systemd: true }), { message: 'systemd not running on this host, cannot use systemd cgroups manager' });
  }
});
