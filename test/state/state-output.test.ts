import test from 'ava';
import type { ContainerRecord } from '../../orchestrator/src/state/container-record.js';
import { toStateOutput } from '../../orchestrator/src/state/state-output.js';

const record: ContainerRecord = {
  ociVersion: '1.3.0',
  id: 'c1',
  initPid: 4321,
  initStartTime: 99,
  bundle: '/b',
  rootfs: '/b/rootfs',
  created: '2026-11-25T10:00:12.120Z',
  owner: '',
  annotations: { foo: 'bar' },
  cgroup: { version: 2, paths: { '': '/sys/fs/cgroup/c1' } },
  config: { ociVersion: '1.3.0' } as ContainerRecord['config'],
};

test('runc 1.1.5 key order: annotations before owner', (t) => {
  const out = toStateOutput(record, 'running');
  t.deepEqual(Object.keys(out), ['ociVersion', 'id', 'pid', 'status', 'bundle', 'rootfs', 'created', 'annotations', 'owner']);
  t.is(out.pid, 4321);
  t.is(out.owner, '');
  t.is(out.created, '2026-11-25T10:00:12.12Z');
});

test('pid 0 once stopped; no annotations key when there are none', (t) => {
  const out = toStateOutput({ ...record, annotations: {} }, 'stopped', 'root');
  t.is(out.pid, 0);
  t.is(out.owner, 'root');
  t.false('annotations' in out);
  t.is(
    JSON.stringify(out, null, 2),
    '{\n  "ociVersion": "1.3.0",\n  "id": "c1",\n  "pid": 0,\n  "status": "stopped",\n  "bundle": "/b",\n' +
      '  "rootfs": "/b/rootfs",\n  "created": "2026-11-25T10:00:12.12Z",\n  "owner": "root"\n}',
  );
});
