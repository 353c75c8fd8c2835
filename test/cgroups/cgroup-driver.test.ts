import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { cgroupDriver } from '../../orchestrator/src/cgroups/driver.js';
import { planCgroup } from '../../orchestrator/src/cgroups/container-cgroup.js';
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

maybe('create, join, list, kill and destroy a real cgroup through its driver', async (t) => {
  const top = `/orch-test-${process.pid}`;
  const spec = { ociVersion: '1.3.0', linux: { cgroupsPath: `${top}/c1` } } as Spec;
  const driver = cgroupDriver(planCgroup(spec, 'c1'));
  const p = driver.placement;
  t.teardown(() => driver.destroy().catch(() => undefined));
  await driver.create({}, {});
  for (const dir of Object.values(p.paths)) t.true(existsSync(dir), dir);
  if (p.version === 1 && p.paths['cpuset']) {
    t.not(readFileSync(`${p.paths['cpuset']}/cpuset.cpus`, 'utf8').trim(), '', 'cpuset.cpus copied from the parent');
  }
  const pid = await sleeper();
  await driver.join(pid);
  t.deepEqual(driver.pids(), [pid]);
  for (const dir of Object.values(p.paths)) t.regex(readFileSync(`${dir}/cgroup.procs`, 'utf8'), new RegExp(`^${pid}$`, 'm'));
  t.true(driver.exists());
  t.false(driver.isFrozen());
  driver.freeze();
  t.true(driver.isFrozen(), 'pause freezes');
  driver.thaw();
  t.false(driver.isFrozen());

  driver.kill(constants.signals.SIGTERM);
  for (let i = 0; i < 100 && driver.pids().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.deepEqual(driver.pids(), []);
  t.false(driver.isFrozen(), 'thawed after signalling');

  // destroy kills what is still inside first
  const second = await sleeper();
  await driver.join(second);
  await driver.destroy();
  for (const dir of Object.values(p.paths)) t.false(existsSync(dir), dir);
  t.false(driver.exists());
  await t.notThrowsAsync(driver.destroy(), 'destroying twice is fine');
  // unlike runc, the parent create made for the nested path goes too (nobody else is in it)
  for (const dir of Object.values(p.paths)) t.false(existsSync(dir.replace(/\/c1$/, '')), `parent of ${dir}`);
});

maybe('a parent made by one create is removed with that cgroup, never under another', async (t) => {
  const top = `/orch-test-shared-${process.pid}`;
  const first = cgroupDriver(planCgroup({ ociVersion: '1.3.0', linux: { cgroupsPath: `${top}/a` } } as Spec, 'a'));
  const second = cgroupDriver(planCgroup({ ociVersion: '1.3.0', linux: { cgroupsPath: `${top}/b` } } as Spec, 'b'));
  t.teardown(async () => {
    await first.destroy().catch(() => undefined);
    await second.destroy().catch(() => undefined);
  });
  await first.create({}, {});
  await second.create({}, {});
  t.deepEqual(second.placement.madeParents ?? [], [], 'the second found the parent made');
  await second.destroy();
  for (const dir of Object.values(first.placement.paths)) t.true(existsSync(dir), 'the other cgroup is untouched');
  await first.destroy();
  for (const dir of Object.values(first.placement.paths)) t.false(existsSync(dir.replace(/\/a$/, '')), 'the parent goes with the cgroup whose create made it');
});
