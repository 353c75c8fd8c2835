import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRunContainers, limitBundle, statsOf } from '../cgroups/container-support.js';
import { makeRoot, orch } from '../support/orch-cli.js';
import { killedAfter } from './killed-orch.js';

// update and pause SIGKILLed at moments spread over their run: the container may be left half
// changed (some limits written, a freeze begun), with operation.json saying so. The next operation
// on it puts it back: the limits in the cgroup are those state.json records, and it is not frozen.
// The changes take about a millisecond of a ~70 ms command, so random kills rarely land inside one:
// the last test makes the half-changed state itself, as operation.json and the cgroup show it.
const root = makeRoot();
const RUNS = Number(process.env['ORCH_CRASH_RUNS'] ?? 16);
const MiB = 1024 * 1024;
const maybe = canRunContainers ? test.serial : test.serial.skip;

function recorded(id: string): { memory: number; pids: number } {
  const record = JSON.parse(readFileSync(join(root, id, 'state.json'), 'utf8')) as { config: { linux: { resources: { memory: { limit: number }; pids: { limit: number } } } } };
  return { memory: record.config.linux.resources.memory.limit, pids: record.config.linux.resources.pids.limit };
}

function statusOf(id: string): string {
  return (JSON.parse(orch(root, ['state', id]).stdout) as { status: string }).status;
}

maybe('update killed at any moment: the next operation writes back what state.json records', async (t) => {
  const id = `crash-update-${process.pid}`;
  const bundle = limitBundle({ memory: { limit: 64 * MiB }, pids: { limit: 20 } }, 'sleep 3600');
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  t.teardown(() => orch(root, ['delete', '--force', id]));
  const started = Date.now();
  t.is(orch(root, ['update', '--memory', '96m', '--pids-limit', '30', id]).status, 0);
  const whole = Date.now() - started;
  let interrupted = 0;
  for (let i = 0; i < RUNS; i++) {
    const memory = (64 + 8 * (i % 8)) * MiB;
    await killedAfter(root, ['update', '--memory', String(memory), '--pids-limit', String(20 + i), id], Math.floor((i * whole) / RUNS + Math.random() * (whole / RUNS)));
    if (existsSync(join(root, id, 'operation.json'))) interrupted++;
    // any operation that takes the container's lock puts it back first
    t.is(orch(root, ['pause', id]).status, 0);
    t.false(existsSync(join(root, id, 'operation.json')), 'the interrupted update is settled');
    t.is(orch(root, ['resume', id]).status, 0);
    const want = recorded(id);
    const stats = statsOf(root, id);
    t.is(stats.memory.usage?.limit, want.memory, `run ${i}: memory limit`);
    t.is(stats.pids.limit, want.pids, `run ${i}: pids limit`);
  }
  t.log(`${RUNS} updates (${whole} ms each) killed; ${interrupted} left operation.json behind; all settled`);
});

maybe('pause killed at any moment: a freeze it began is undone by the next operation', async (t) => {
  const id = `crash-pause-${process.pid}`;
  const bundle = limitBundle({}, 'sleep 3600');
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  t.teardown(() => orch(root, ['delete', '--force', id]));
  const started = Date.now();
  t.is(orch(root, ['pause', id]).status, 0);
  const whole = Date.now() - started;
  t.is(orch(root, ['resume', id]).status, 0);
  let interrupted = 0;
  for (let i = 0; i < RUNS; i++) {
    await killedAfter(root, ['pause', id], Math.floor((i * whole) / RUNS + Math.random() * (whole / RUNS)));
    const leftRecord = existsSync(join(root, id, 'operation.json'));
    const before = statusOf(id);
    t.true(['running', 'paused'].includes(before), `run ${i}: ${before}`);
    t.is(orch(root, ['update', '--pids-limit', '50', id]).status, 0);
    if (leftRecord) {
      interrupted++;
      t.is(statusOf(id), 'running', `run ${i}: an interrupted pause is rolled back`);
    } else {
      t.is(statusOf(id), before, `run ${i}: a pause that finished stays`);
    }
    if (statusOf(id) === 'paused') t.is(orch(root, ['resume', id]).status, 0);
  }
  t.log(`${RUNS} pauses (${whole} ms each) killed; ${interrupted} left operation.json behind; all settled`);
});

/** A ProcessRef of a process that has exited: what operation.json names after its orch was killed. */
async function goneProcess(): Promise<{ pid: number; startTime: number }> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('exit', resolve));
  return { pid: child.pid ?? 0, startTime: 1 };
}

/** The container's memory cgroup dir, from its state.json placement. */
function memoryDir(id: string): { dir: string; file: string } {
  const record = JSON.parse(readFileSync(join(root, id, 'state.json'), 'utf8')) as { cgroup: { version: number; paths: Record<string, string> } };
  if (record.cgroup.version === 2) return { dir: record.cgroup.paths[''] as string, file: 'memory.max' };
  const key = Object.keys(record.cgroup.paths).find((k) => k.split(',').includes('memory')) as string;
  return { dir: record.cgroup.paths[key] as string, file: 'memory.limit_in_bytes' };
}

maybe('an update and a pause interrupted half-way (as their record says) are put back by the next operation', async (t) => {
  const id = `halfchanged-${process.pid}`;
  const bundle = limitBundle({ memory: { limit: 64 * MiB } }, 'sleep 3600');
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  t.teardown(() => orch(root, ['delete', '--force', id]));

  // an update killed after writing one limit, before state.json: the cgroup says 100m, the record 64m
  const { dir, file } = memoryDir(id);
  writeFileSync(join(dir, file), String(100 * MiB));
  writeFileSync(join(root, id, 'operation.json'), JSON.stringify({ kind: 'update', by: await goneProcess(), wasFrozen: false }));
  t.is(statsOf(root, id).memory.usage?.limit, 100 * MiB, 'half changed');
  const resumed = orch(root, ['pause', id]);
  t.is(resumed.status, 0, resumed.stderr);
  t.regex(resumed.stderr, /an interrupted update .* was undone/);
  t.is(statsOf(root, id).memory.usage?.limit, 64 * MiB, 'the recorded limit is back');
  t.false(existsSync(join(root, id, 'operation.json')));
  t.is(orch(root, ['resume', id]).status, 0);

  // a pause killed once the freeze had begun: frozen, with nobody to report it
  t.is(orch(root, ['pause', id]).status, 0);
  writeFileSync(join(root, id, 'operation.json'), JSON.stringify({ kind: 'pause', by: await goneProcess(), wasFrozen: false }));
  t.is(statusOf(id), 'paused');
  t.is(orch(root, ['update', '--pids-limit', '40', id]).status, 0);
  t.is(statusOf(id), 'running', 'the freeze is undone');

  // a checkpoint's criu that outlived its orch is stopped, and the freeze undone
  const criu = spawn('sleep', ['3600']);
  await new Promise((resolve) => criu.once('spawn', resolve));
  const startTime = Number(readFileSync(`/proc/${criu.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19]);
  t.is(orch(root, ['pause', id]).status, 0);
  writeFileSync(join(root, id, 'operation.json'), JSON.stringify({ kind: 'checkpoint', by: await goneProcess(), wasFrozen: false, child: { pid: criu.pid, startTime } }));
  const exited = new Promise((resolve) => criu.once('exit', resolve));
  t.is(orch(root, ['update', '--pids-limit', '41', id]).status, 0);
  await exited;
  t.is(statusOf(id), 'running');
});
