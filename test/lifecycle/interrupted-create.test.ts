import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeBundle } from '../support/bundle.js';
import { ORCH_BIN, makeRoot, orch } from '../support/orch-cli.js';
import { killedAfter } from './killed-orch.js';

// An engine's worst day, in short: `orch create` SIGKILLed at moments spread over its whole run
// (Node's start, validation, the claim, the cgroup, the helper, the init), then `orch delete`
// without --force, as a careful client cleans up. Nothing may be left, and the id must be usable.
const root = makeRoot();
/** ORCH_CRASH_RUNS: more runs for a longer pass (tools/crash-test.sh) */
const RUNS = Number(process.env['ORCH_CRASH_RUNS'] ?? 16);

/** Cgroup dirs named `name` anywhere in the hierarchies (v1: one per controller, v2: one). */
function cgroupDirs(name: string): string[] {
  const found: string[] = [];
  const base = '/sys/fs/cgroup';
  if (existsSync(join(base, name))) found.push(join(base, name));
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(base, entry.name, name))) found.push(join(base, entry.name, name));
  }
  return found;
}

/**
 * Live processes whose cgroup path names `name`. A zombie is dead: it waits only for its parent
 * (pid 1, for an init whose stage-0 has gone) to reap it, and holds no cgroup.
 */
function processesIn(name: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const zombie = /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!zombie && readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/${name}`)) pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

test.serial('orch create killed at any moment: delete removes what it left, and the id can be created again', async (t) => {
  // how long a whole create takes here and now: the kills are spread over that
  const probe = makeBundle(['sleep', '3600']);
  const started = Date.now();
  t.is(orch(root, ['create', '--bundle', probe.dir, `crash-probe-${process.pid}`]).status, 0);
  const whole = Date.now() - started;
  t.is(orch(root, ['delete', '--force', `crash-probe-${process.pid}`]).status, 0);
  const seen = new Map<string, number>();
  let leftovers = 0;
  for (let i = 0; i < RUNS; i++) {
    const id = `crash-${process.pid}-${i}`;
    const cgroupName = `orch-crash-${process.pid}-${i}`;
    const bundle = makeBundle(['sleep', '3600'], (spec) => (spec.linux!.cgroupsPath = `/${cgroupName}`));
    const child = spawn(process.execPath, [ORCH_BIN, '--root', root, 'create', '--bundle', bundle.dir, id], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // a sweep over the run, from Node's start to the init waiting on its fifo, jittered
    await sleep(Math.floor((i * whole) / RUNS + Math.random() * (whole / RUNS)));
    child.kill('SIGKILL');
    await exited;

    const state = orch(root, ['state', id]);
    const status = state.status === 0 ? (JSON.parse(state.stdout) as { status: string }).status : 'absent';
    seen.set(status, (seen.get(status) ?? 0) + 1);
    t.true(['absent', 'stopped', 'created'].includes(status), `after the kill at run ${i}: ${status} ${state.stderr}`);
    if (status !== 'absent') {
      const listed = orch(root, ['list', '--format', 'json']);
      t.true((JSON.parse(listed.stdout) as Array<{ id: string }>).some((c) => c.id === id), 'list shows it');
      const deleted = orch(root, ['delete', id]);
      t.is(deleted.status, 0, `delete ${id} (${status}): ${deleted.stderr}`);
    }
    const left = [...cgroupDirs(cgroupName), ...processesIn(cgroupName).map(String), ...(existsSync(join(root, id)) ? [join(root, id)] : [])];
    leftovers += left.length;
    t.deepEqual(left, [], `left after run ${i} (${status})`);

    const again = orch(root, ['create', '--bundle', bundle.dir, id]);
    t.is(again.status, 0, `create ${id} again: ${again.stderr}`);
    t.is(orch(root, ['delete', '--force', id]).status, 0);
  }
  t.log(`${RUNS} creates (${whole} ms each) killed; states seen: ${[...seen].map(([s, n]) => `${s} ${n}`).join(', ')}; things left: ${leftovers}`);
});

test.serial('an id left half-made is named as such by create, and by state', async (t) => {
  // killed once it has surely claimed the id and begun: the helper runs a 2 s createRuntime hook
  const id = `halfmade-${process.pid}`;
  const bundle = makeBundle(['sleep', '3600'], (spec) => {
    spec.hooks = { createRuntime: [{ path: '/bin/sleep', args: ['sleep', '2'] }] };
  });
  const child = spawn(process.execPath, [ORCH_BIN, '--root', root, 'create', '--bundle', bundle.dir, id], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 100 && !existsSync(join(root, id, 'intent.json')); i++) await sleep(20);
  await sleep(300);
  const during = orch(root, ['state', id]);
  t.is((JSON.parse(during.stdout) as { status: string }).status, 'creating', during.stderr);
  child.kill('SIGKILL');
  await exited;
  const after = orch(root, ['state', id]);
  t.is((JSON.parse(after.stdout) as { status: string }).status, 'stopped');
  const again = orch(root, ['create', '--bundle', bundle.dir, id]);
  t.is(again.status, 1);
  t.regex(again.stderr, new RegExp(`container ${id} was left half-made by an interrupted create: remove it with .delete ${id}. first`));
  t.is(orch(root, ['delete', id]).status, 0);
  t.is(orch(root, ['state', id]).status, 1);
});

/** What a container named by its cgroup left: cgroup dirs, processes in them, its state dir. */
function leftBy(id: string, cgroupName: string): string[] {
  return [...cgroupDirs(cgroupName), ...processesIn(cgroupName).map(String), ...(existsSync(join(root, id)) ? [join(root, id)] : [])];
}

test.serial('orch start, exec and delete killed at any moment: delete --force leaves nothing, and the id is free again', async (t) => {
  const runs = Math.max(4, Math.floor(RUNS / 2));
  let leftovers = 0;
  for (const step of ['start', 'exec', 'delete'] as const) {
    for (let i = 0; i < runs; i++) {
      const id = `crash-${step}-${process.pid}-${i}`;
      const cgroupName = `orch-crash-${step}-${process.pid}-${i}`;
      const bundle = makeBundle(['sleep', '3600'], (spec) => (spec.linux!.cgroupsPath = `/${cgroupName}`));
      t.is(orch(root, ['create', '--bundle', bundle.dir, id]).status, 0);
      if (step !== 'start') t.is(orch(root, ['start', id]).status, 0);
      const args = step === 'start' ? ['start', id] : step === 'exec' ? ['exec', id, 'sleep', '3600'] : ['delete', '--force', id];
      await killedAfter(root, args, Math.floor((i * 120) / runs + Math.random() * 10));
      const deleted = orch(root, ['delete', '--force', id]);
      t.is(deleted.status, 0, `delete --force after ${step} killed: ${deleted.stderr}`);
      const left = leftBy(id, cgroupName);
      leftovers += left.length;
      t.deepEqual(left, [], `left after ${step} killed (run ${i})`);
      t.is(orch(root, ['create', '--bundle', bundle.dir, id]).status, 0, 'the id is free again');
      t.is(orch(root, ['delete', '--force', id]).status, 0);
    }
  }
  t.log(`start, exec and delete killed ${runs} times each; things left: ${leftovers}`);
});

test.serial('the helper killed at any moment of create: create fails and leaves nothing by itself', async (t) => {
  const runs = Math.max(4, Math.floor(RUNS / 2));
  let failedCreates = 0;
  let leftovers = 0;
  for (let i = 0; i < runs; i++) {
    const id = `crash-helper-${process.pid}-${i}`;
    const cgroupName = `orch-crash-helper-${process.pid}-${i}`;
    const bundle = makeBundle(['sleep', '3600'], (spec) => (spec.linux!.cgroupsPath = `/${cgroupName}`));
    const child = spawn(process.execPath, [ORCH_BIN, '--root', root, 'create', '--bundle', bundle.dir, id], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // the helper is orch's child named orch-init: kill it the moment it shows, or a little later
    const delay = Math.floor((i * 40) / runs);
    let killed = false;
    for (let waited = 0; waited < 3000 && !killed; waited += 2) {
      const helper = childrenOf(child.pid ?? 0).find((pid) => readComm(pid) === 'orch-init');
      if (helper !== undefined) {
        await sleep(delay);
        try {
          process.kill(helper, 'SIGKILL');
        } catch {
          // gone already: create finished first
        }
        killed = true;
      } else await sleep(2);
    }
    const code = await exited;
    if (code !== 0) failedCreates++;
    else t.is(orch(root, ['delete', '--force', id]).status, 0);
    const left = leftBy(id, cgroupName);
    leftovers += left.length;
    t.deepEqual(left, [], `left after the helper was killed (run ${i}, create exited ${code})`);
  }
  t.log(`helper killed ${runs} times; creates that failed: ${failedCreates}; things left: ${leftovers}`);
});

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
