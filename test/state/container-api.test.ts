import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerState } from '../../orchestrator/src/api/state.js';
import { listContainers } from '../../orchestrator/src/api/list.js';
import { killContainer } from '../../orchestrator/src/api/kill.js';
import { deleteContainer } from '../../orchestrator/src/api/delete.js';
import { OrchError } from '../../orchestrator/src/errors/orch-error.js';
import type { ContainerRecord } from '../../orchestrator/src/state/container-record.js';
import { readProcessStartTime } from '../../orchestrator/src/state/process-start-time.js';
import { StateStore } from '../../orchestrator/src/state/state-store.js';
import { fakeRecord, scratchDir } from './fixtures.js';

// A container whose "init" is a sleep this test spawned, and whose "cgroup" is a plain dir: the
// read side and kill/delete rules without the init helper or real cgroups.
async function fakeContainer(root: string, id: string): Promise<{ record: ContainerRecord; init: ChildProcess; store: StateStore }> {
  const init = spawn('sleep', ['60'], { stdio: 'ignore' });
  await new Promise((resolve) => init.once('spawn', resolve));
  const pid = init.pid as number;
  const store = new StateStore(root);
  store.claim(id);
  const cgroupDir = join(root, '..', `cgroup-${id}`);
  mkdirSync(cgroupDir, { recursive: true });
  const record = fakeRecord(root, {
    id,
    initPid: pid,
    initStartTime: readProcessStartTime(pid),
    annotations: { 'org.example': 'yes' },
    cgroup: { version: 1, paths: { devices: cgroupDir } },
  });
  store.write(record);
  return { record, init, store };
}

function exited(init: ChildProcess): Promise<NodeJS.Signals | null> {
  if (init.exitCode !== null || init.signalCode !== null) return Promise.resolve(init.signalCode);
  return new Promise((resolve) => init.once('exit', (_code, signal) => resolve(signal)));
}

test('state: created while exec.fifo exists, running after, stopped (pid 0) once the init is gone', async (t) => {
  const root = join(scratchDir(t), 'root');
  const { record, init, store } = await fakeContainer(root, 'c1');
  t.teardown(() => init.kill('SIGKILL'));
  writeFileSync(store.fifoPath('c1'), '');
  const created = containerState({ root, id: 'c1' });
  t.is(created.status, 'created');
  t.is(created.pid, record.initPid);
  t.deepEqual(created.annotations, { 'org.example': 'yes' });
  t.is(created.owner, '');
  store.remove('c1');
  store.claim('c1');
  store.write(record);
  t.is(containerState({ root, id: 'c1' }).status, 'running');
  init.kill('SIGKILL');
  await exited(init);
  const stopped = containerState({ root, id: 'c1' });
  t.is(stopped.status, 'stopped');
  t.is(stopped.pid, 0);
});

test('list: every container, owner filled in; a dir without state.json is skipped', async (t) => {
  const root = join(scratchDir(t), 'root');
  const a = await fakeContainer(root, 'a');
  const b = await fakeContainer(root, 'b');
  t.teardown(() => {
    a.init.kill('SIGKILL');
    b.init.kill('SIGKILL');
  });
  mkdirSync(join(root, 'being-created'));
  const states = listContainers({ root });
  t.deepEqual(states.map((s) => [s.id, s.status, s.owner]), [
    ['a', 'running', 'root'],
    ['b', 'running', 'root'],
  ]);
  t.deepEqual(listContainers({ root: join(root, 'nonexistent') }), []);
});

test('kill: signals the init; bad signals and unknown ids are refused; a stopped container is "not running"', async (t) => {
  const root = join(scratchDir(t), 'root');
  const { init } = await fakeContainer(root, 'c1');
  t.teardown(() => init.kill('SIGKILL'));
  await t.throwsAsync(killContainer({ root, id: 'c1', signal: 'FOO' }), { message: 'unknown signal "FOO"' });
  await t.throwsAsync(killContainer({ root, id: 'nope', signal: 'KILL' }), { message: 'container does not exist' });
  await killContainer({ root, id: 'c1', signal: 0 });
  await killContainer({ root, id: 'c1', signal: 'usr1' });
  t.is(await exited(init), 'SIGUSR1');
  const err = await t.throwsAsync(killContainer({ root, id: 'c1', signal: 'KILL' }), { instanceOf: OrchError });
  t.is(err?.message, 'container not running');
  t.is(err?.code, 'bad-state');
  // --all on a stopped container whose cgroup is gone: nothing to do, no error
  await t.notThrowsAsync(killContainer({ root, id: 'c1', signal: 'KILL', all: true }));
});

test('delete: running needs --force; --force kills and removes state and cgroup', async (t) => {
  const root = join(scratchDir(t), 'root');
  const { record, init, store } = await fakeContainer(root, 'c1');
  t.teardown(() => init.kill('SIGKILL'));
  const err = await t.throwsAsync(deleteContainer({ root, id: 'c1' }), { instanceOf: OrchError });
  t.is(err?.message, 'cannot delete container c1 that is not stopped: running');
  t.is(err?.code, 'bad-state');
  await deleteContainer({ root, id: 'c1', force: true });
  t.is(await exited(init), 'SIGKILL');
  t.false(existsSync(store.dir('c1')));
  t.false(existsSync(record.cgroup.paths['devices'] as string));
  t.false(existsSync(store.lockPath('c1')));
});

test('delete: a created container is killed and removed without --force (as runc)', async (t) => {
  const root = join(scratchDir(t), 'root');
  const { init, store } = await fakeContainer(root, 'c1');
  t.teardown(() => init.kill('SIGKILL'));
  writeFileSync(store.fifoPath('c1'), '');
  await deleteContainer({ root, id: 'c1' });
  t.is(await exited(init), 'SIGKILL');
  t.false(existsSync(store.dir('c1')));
});

test('delete: stopped is removed; unknown is an error unless --force; a dir without state.json goes', async (t) => {
  const root = join(scratchDir(t), 'root');
  const { init, store } = await fakeContainer(root, 'c1');
  init.kill('SIGKILL');
  await exited(init);
  await deleteContainer({ root, id: 'c1' });
  t.false(existsSync(store.dir('c1')));
  await t.throwsAsync(deleteContainer({ root, id: 'c1' }), { message: 'container does not exist' });
  await t.notThrowsAsync(deleteContainer({ root, id: 'c1', force: true }));
  mkdirSync(store.dir('half'));
  await t.throwsAsync(deleteContainer({ root, id: 'half' }), { message: 'container does not exist' });
  t.false(existsSync(store.dir('half')));
  mkdirSync(store.dir('half2'));
  await t.notThrowsAsync(deleteContainer({ root, id: 'half2', force: true }));
  t.false(existsSync(store.dir('half2')));
});
