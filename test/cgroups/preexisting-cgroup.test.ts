import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';
import { canRunContainers, hostCgroupVersion } from './container-support.js';

// A cgroupsPath that already exists when create runs: as runc 1.2+, processes in it are only
// warned about, and a frozen one is refused at once instead of freezing the new container's init.
const maybe = canRunContainers ? test.serial : test.skip;
const version = canRunContainers ? hostCgroupVersion() : 1;
const root = makeRoot();
/** The freezer's directory for a cgroupsPath: v2's one tree, or v1's freezer hierarchy. */
const freezerDir = (path: string): string => (version === 2 ? join('/sys/fs/cgroup', path) : join('/sys/fs/cgroup/freezer', path));

maybe('create into a cgroup that already holds a process succeeds with runc\'s warning', async (t) => {
  const path = `/orch-pre-busy-${process.pid}`;
  const dir = freezerDir(path);
  mkdirSync(dir);
  const sleeper = spawn('sleep', ['3600'], { stdio: 'ignore' });
  await new Promise((resolve) => sleeper.once('spawn', resolve));
  t.teardown(() => {
    sleeper.kill('SIGKILL');
    try {
      rmdirSync(dir);
    } catch {
      // orch's delete removed it already
    }
  });
  writeFileSync(join(dir, 'cgroup.procs'), String(sleeper.pid));
  const bundle = makeBundle(['true'], (spec) => (spec.linux!.cgroupsPath = path));
  const id = `pre-busy-${process.pid}`;
  const run = orch(root, ['run', '--bundle', bundle.dir, id]);
  t.is(run.status, 0, run.stderr);
  t.regex(run.stderr, /level=warning msg="container's cgroup is not empty: 1 process\(es\) found"/);
});

maybe('create into a frozen cgroup is refused at once, leaving nothing', (t) => {
  const path = `/orch-pre-frozen-${process.pid}`;
  const dir = freezerDir(path);
  mkdirSync(dir);
  if (version === 2) writeFileSync(join(dir, 'cgroup.freeze'), '1');
  else writeFileSync(join(dir, 'freezer.state'), 'FROZEN');
  t.teardown(() => {
    writeFileSync(join(dir, version === 2 ? 'cgroup.freeze' : 'freezer.state'), version === 2 ? '0' : 'THAWED');
    rmdirSync(dir);
  });
  const id = `pre-frozen-${process.pid}`;
  // a frozen parent freezes a new child as well
  for (const cgroupsPath of [path, `${path}/child`]) {
    const bundle = makeBundle(['true'], (spec) => (spec.linux!.cgroupsPath = cgroupsPath));
    const run = orch(root, ['run', '--bundle', bundle.dir, id], { timeout: 30_000 });
    t.is(run.signal, null, 'orch ended by itself');
    t.is(run.status, 1);
    t.regex(run.stderr, /container's cgroup unexpectedly frozen \(\/sys\/fs\/cgroup\/.*orch-pre-frozen/);
    t.is(orch(root, ['state', id]).status, 1, 'no state is left');
    t.false(existsSync(join(dir, 'child')));
  }
  t.is(readFileSync(join(dir, 'cgroup.procs'), 'utf8'), '');
});
