import test from 'ava';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../../orchestrator/src/errors/orch-error.js';
import { StateStore } from '../../orchestrator/src/state/state-store.js';
import { fakeRecord, scratchDir } from './fixtures.js';

test('claim makes <root>/<id> 0711 under a 0700 root; a second claim is "exists"', (t) => {
  const root = join(scratchDir(t), 'root');
  const store = new StateStore(root);
  store.claim('c1');
  t.is(statSync(root).mode & 0o777, 0o700);
  t.is(statSync(join(root, 'c1')).mode & 0o777, 0o711);
  t.true(store.exists('c1'));
  const err = t.throws(() => store.claim('c1'), { instanceOf: OrchError });
  t.is(err?.code, 'exists');
  t.is(err?.message, 'container with given ID already exists');
});

test('write then read round-trips; the file is 0600 and no temp file is left', (t) => {
  const store = new StateStore(scratchDir(t));
  store.claim('c1');
  const record = fakeRecord('/x', { initPid: 7, annotations: { a: 'b' } });
  store.write(record);
  t.deepEqual(store.read('c1'), record);
  store.write({ ...record, initPid: 8 });
  t.is(store.read('c1').initPid, 8);
  t.deepEqual(readdirSync(store.dir('c1')), ['state.json']);
  t.is(statSync(store.statePath('c1')).mode & 0o777, 0o600);
});

test('read: unknown container, missing state.json, damaged file', (t) => {
  const store = new StateStore(scratchDir(t));
  t.throws(() => store.read('nope'), { message: 'container does not exist' });
  store.claim('c1');
  const err = t.throws(() => store.read('c1'), { instanceOf: OrchError });
  t.is(err?.code, 'not-found');
  writeFileSync(store.statePath('c1'), '{"id": "c1"');
  t.throws(() => store.read('c1'), { message: /state\.json: not valid JSON/ });
  writeFileSync(store.statePath('c1'), JSON.stringify({ ...fakeRecord('/x'), initPid: 'x' }));
  t.throws(() => store.read('c1'), { message: /state\.json: initPid: expected an integer/ });
});

test('paths never leave root: ids are validated at the one place paths are built', (t) => {
  const store = new StateStore(scratchDir(t));
  t.throws(() => store.dir('../etc'), { message: 'invalid container ID format: ../etc' });
  t.throws(() => store.claim('..'), { message: 'invalid container ID format: ..' });
});

test('list: container dirs only, sorted; a missing root is empty', (t) => {
  const dir = scratchDir(t);
  t.deepEqual(new StateStore(join(dir, 'none')).list(), []);
  const store = new StateStore(dir);
  for (const id of ['b', 'a', 'c']) store.claim(id);
  writeFileSync(join(dir, 'a@lock'), '');
  mkdirSync(join(dir, 'd'));
  t.deepEqual(store.list(), ['a', 'b', 'c', 'd']);
});

test('remove takes the whole dir and is quiet when it is gone', (t) => {
  const store = new StateStore(scratchDir(t));
  store.claim('c1');
  store.write(fakeRecord('/x'));
  writeFileSync(store.fifoPath('c1'), '');
  store.remove('c1');
  t.false(existsSync(store.dir('c1')));
  t.notThrows(() => store.remove('c1'));
});

test('withLock returns fn\'s value, releases on throw, and serialises callers in one process', async (t) => {
  const store = new StateStore(scratchDir(t));
  t.is(await store.withLock('c1', () => 42), 42);
  await t.throwsAsync(store.withLock('c1', () => Promise.reject(new Error('boom'))), { message: 'boom' });
  t.false(existsSync(store.lockPath('c1')));
  const order: string[] = [];
  const slow = store.withLock('c1', async () => {
    order.push('a-in');
    await new Promise((r) => setTimeout(r, 50));
    order.push('a-out');
  });
  const fast = store.withLock('c1', () => void order.push('b'));
  await Promise.all([slow, fast]);
  t.deepEqual(order, ['a-in', 'a-out', 'b']);
  t.is(store.withLockSync('c1', () => 'sync'), 'sync');
  t.deepEqual(readdirSync(store.root), []);
});
