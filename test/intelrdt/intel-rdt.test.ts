import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRdtGroup, joinRdtGroup, removeRdtGroup } from '../../orchestrator/src/intelrdt/rdt-group.js';
import { describeResctrl, findResctrl } from '../../orchestrator/src/intelrdt/resctrl.js';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';

/** A resctrl tree as the kernel shows one: info/ says what it can do. */
function fakeResctrl(can: { cat?: boolean; mba?: boolean; mon?: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'orch-resctrl-'));
  if (can.cat) mkdirSync(join(root, 'info', 'L3'), { recursive: true });
  if (can.mba) mkdirSync(join(root, 'info', 'MB'), { recursive: true });
  if (can.mon) mkdirSync(join(root, 'info', 'L3_MON'), { recursive: true });
  return root;
}

test('the group is the container id: schemata written, the pid joined, the group removed after', (t) => {
  const root = fakeResctrl({ cat: true, mba: true, mon: true });
  const rdt = createRdtGroup({ l3CacheSchema: 'L3:0=ff', memBwSchema: 'MB:0=50', schemata: ['L2:0=f'], enableMonitoring: true }, 'c1', describeResctrl(root));
  t.is(rdt.group, join(root, 'c1'));
  t.true(rdt.created);
  t.is(readFileSync(join(root, 'c1', 'schemata'), 'utf8'), 'L3:0=ff\nMB:0=50\nL2:0=f\n');
  joinRdtGroup(rdt, 4242);
  // with monitoring the pid goes to its mon group (the kernel puts it in the control group too)
  t.is(readFileSync(join(root, 'c1', 'mon_groups', 'c1', 'tasks'), 'utf8'), '4242');
  // The kernel's rmdir takes a group with its files and its mon_groups; a plain directory
  // needs them gone first, so the two removals are checked one at a time.
  rmSync(join(root, 'c1', 'mon_groups', 'c1', 'tasks'));
  removeRdtGroup({ ...rdt, created: false });
  t.false(existsSync(join(root, 'c1', 'mon_groups', 'c1')));
  t.true(existsSync(join(root, 'c1')));
  rmSync(join(root, 'c1', 'mon_groups'), { recursive: true });
  rmSync(join(root, 'c1', 'schemata'));
  rmSync(join(root, 'c1', 'tasks'), { force: true });
  removeRdtGroup({ ...rdt, monitor: undefined });
  t.deepEqual(readdirSync(root).filter((n) => n !== 'info'), []);
});

test('a named closID that exists is shared: joined, and left in place', (t) => {
  const root = fakeResctrl({ cat: true });
  mkdirSync(join(root, 'gold'));
  const rdt = createRdtGroup({ closID: 'gold' }, 'c2', describeResctrl(root));
  t.false(rdt.created);
  joinRdtGroup(rdt, 7);
  t.is(readFileSync(join(root, 'gold', 'tasks'), 'utf8'), '7');
  removeRdtGroup(rdt);
  t.true(existsSync(join(root, 'gold')));
});

test('what the host cannot do is refused, naming the field, and nothing is made', (t) => {
  const root = fakeResctrl({});
  const refuse = (intelRdt: Parameters<typeof createRdtGroup>[0]): string => t.throws(() => createRdtGroup(intelRdt, 'c3', describeResctrl(root)))?.message ?? '';
  t.regex(refuse({ l3CacheSchema: 'L3:0=f' }), /linux\.intelRdt\.l3CacheSchema: set, but Intel RDT\/CAT is not enabled/);
  t.regex(refuse({ memBwSchema: 'MB:0=10' }), /linux\.intelRdt\.memBwSchema: set, but Intel RDT\/MBA is not enabled/);
  t.regex(refuse({ enableMonitoring: true }), /linux\.intelRdt\.enableMonitoring/);
  for (const closID of ['..', '.', 'a/b']) t.regex(refuse({ closID }), /linux\.intelRdt\.closID: invalid closID/);
  t.deepEqual(readdirSync(root), []);
  t.regex(t.throws(() => createRdtGroup({}, 'c4', undefined))?.message ?? '', /no resctrl filesystem is mounted/);
});

(findResctrl() ? test.skip : test)('on this host, without resctrl, a container asking for Intel RDT is refused at create and leaves nothing', (t) => {
  const root = makeRoot();
  const bundle = makeBundle(['true'], (spec) => (spec.linux!.intelRdt = { closID: 'orch-test', l3CacheSchema: 'L3:0=f' }));
  const id = `rdt-${process.pid}`;
  const run = orch(root, ['run', '--bundle', bundle.dir, id]);
  t.is(run.status, 1);
  t.regex(run.stderr, /linux\.intelRdt: Intel RDT is not supported or enabled on this host \(no resctrl filesystem is mounted\)/);
  t.is(orch(root, ['state', id]).status, 1);
  t.false(existsSync(`/sys/fs/cgroup/memory/${id}`));
});
