import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import {
  cgroupExists,
  cgroupPids,
  createCgroup,
  destroyCgroup,
  isCgroupFrozen,
  joinCgroup,
  killCgroup,
  planCgroup,
} from '../../orchestrator/src/cgroups/cgroup-manager.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';

// Real cgroups: needs root and a writable /sys/fs/cgroup, as CI has.
const usable = process.geteuid?.() === 0 && existsSync('/sys/fs/cgroup');
const maybe = usable ? test.serial : test.skip;

function sleeper(): Promise<number> {
  const proc = spawn('sleep', ['60'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    proc.once('spawn', () => resolve(proc.pid as number));
    proc.once('error', reject);
  });
}

maybe('create, join, list, kill and destroy a real cgroup', async (t) => {
  const spec = { ociVersion: '1.3.0', linux: { cgroupsPath: `/orch-test-${process.pid}/c1` } } as Spec;
  const p = planCgroup(spec, 'c1');
  t.teardown(() => {
    try {
      destroyCgroup(p);
    } catch {
      // already gone
    }
  });
  createCgroup(p);
  for (const dir of Object.values(p.paths)) t.true(existsSync(dir), dir);
  if (p.version === 1 && p.paths['cpuset']) {
    t.not(readFileSync(`${p.paths['cpuset']}/cpuset.cpus`, 'utf8').trim(), '', 'cpuset.cpus copied from the parent');
  }
  const pid = await sleeper();
  joinCgroup(p, pid);
  t.deepEqual(cgroupPids(p), [pid]);
  for (const dir of Object.values(p.paths)) t.regex(readFileSync(`${dir}/cgroup.procs`, 'utf8'), new RegExp(`^${pid}$`, 'm'));
  t.true(cgroupExists(p));
  t.false(isCgroupFrozen(p));

  killCgroup(p, constants.signals.SIGTERM);
  for (let i = 0; i < 100 && cgroupPids(p).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.deepEqual(cgroupPids(p), []);
  t.false(isCgroupFrozen(p), 'thawed after signalling');

  // destroy kills what is still inside first
  const second = await sleeper();
  joinCgroup(p, second);
  destroyCgroup(p);
  for (const dir of Object.values(p.paths)) t.false(existsSync(dir), dir);
  t.false(cgroupExists(p));
  t.notThrows(() => destroyCgroup(p), 'destroying twice is fine');
  // the parent orch made is left, as runc leaves parents (they may be shared)
  for (const dir of Object.values(p.paths)) destroyCgroup({ version: p.version, paths: { k: dir.replace(/\/c1$/, '') } });
});
