import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeRoot, orch, statusOf } from '../support/orch-cli.js';
import { canRunContainers, hostCgroupVersion, limitBundle } from '../cgroups/container-support.js';
import { systemdRunning } from '../../orchestrator/src/cgroups/systemd/systemd-running.js';

// The systemd cgroup driver against a real systemd. Runs where systemd is PID 1 of this pid
// namespace: test/systemd/with-systemd.sh boots one (on this cgroup-v1 host, and on cgroup v2 in
// the VM) and runs this file next to it; elsewhere it is skipped. What the tests check comes from
// systemctl and cgroupfs, not from orch's own D-Bus client.
const maybe = canRunContainers && systemdRunning() ? test.serial : test.skip;
const version = canRunContainers ? hostCgroupVersion() : 1;
const root = makeRoot();
let serial = 0;
const nextId = (): string => `sd-${process.pid}-${++serial}`;
const MiB = 1024 * 1024;

/** systemctl show -p NAME --value UNIT */
function unitProperty(unit: string, name: string): string {
  return execFileSync('systemctl', ['show', '-p', name, '--value', unit], { encoding: 'utf8' }).trim();
}

/** Every dir a cgroup path has across the mounted hierarchies (one on v2). */
function cgroupDirs(path: string): string[] {
  if (version === 2) return [join('/sys/fs/cgroup', path)];
  return readdirSync('/sys/fs/cgroup')
    .map((h) => join('/sys/fs/cgroup', h))
    .filter((h) => existsSync(join(h, 'cgroup.procs')))
    .map((h) => join(h, path));
}

function sdOrch(args: string[], options: { input?: string } = {}): ReturnType<typeof orch> {
  return orch(root, ['--systemd-cgroup', ...args], options);
}

function runDetached(t: ExecutionContext, bundleDir: string, id: string): number {
  const result = sdOrch(['run', '-d', '--bundle', bundleDir, id]);
  t.is(result.status, 0, `run -d ${id}: ${result.stderr}`);
  return (JSON.parse(orch(root, ['state', id]).stdout) as { pid: number }).pid;
}

/** The init's cgroup in the hierarchy the unit is named in (name=systemd on v1). */
function cgroupOf(pid: number): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const line = lines.find((l) => (version === 2 ? l.startsWith('0::') : l.includes(':name=systemd:')));
  return line?.slice(line.indexOf(':', line.indexOf(':') + 1) + 1) ?? '';
}

function gone(t: ExecutionContext, unit: string, cgroupPath: string): void {
  t.is(unitProperty(unit, 'LoadState'), 'not-found', `${unit} is gone`);
  for (const dir of cgroupDirs(cgroupPath)) t.false(existsSync(dir), `${dir} removed`);
}

test.after.always(() => {
  for (const id of existsSync(root) ? readdirSync(root).filter((n) => !n.includes('@')) : []) sdOrch(['delete', '--force', id]);
});

maybe('a container is a delegated transient scope in system.slice, its limits both unit properties and cgroupfs values', (t) => {
  const id = nextId();
  const unit = `orch-${id}.scope`;
  const bundle = limitBundle({ memory: { limit: 64 * MiB }, pids: { limit: 20 }, cpu: { quota: 12345, period: 100000 } }, 'sleep 3600');
  const pid = runDetached(t, bundle.dir, id);
  const path = `/system.slice/${unit}`;
  t.is(cgroupOf(pid), path);
  t.is(unitProperty(unit, 'ActiveState'), 'active');
  t.is(unitProperty(unit, 'Slice'), 'system.slice');
  t.is(unitProperty(unit, 'Delegate'), 'yes');
  t.is(unitProperty(unit, 'TasksMax'), '20');
  t.is(unitProperty(unit, version === 2 ? 'MemoryMax' : 'MemoryLimit'), String(64 * MiB));
  t.is(unitProperty(unit, 'DevicePolicy'), 'strict');
  t.regex(unitProperty(unit, 'DeviceAllow'), /\/dev\/char\/1:3 rwm/);
  // 12.345% cannot be a systemd CPUQuota: both sides get 13%
  t.is(unitProperty(unit, 'CPUQuotaPerSecUSec'), '130ms');
  if (version === 2) {
    t.is(readFileSync(`/sys/fs/cgroup${path}/memory.max`, 'utf8').trim(), String(64 * MiB));
    t.is(readFileSync(`/sys/fs/cgroup${path}/pids.max`, 'utf8').trim(), '20');
    t.is(readFileSync(`/sys/fs/cgroup${path}/cpu.max`, 'utf8').trim(), '13000 100000');
  } else {
    t.is(readFileSync(`/sys/fs/cgroup/memory${path}/memory.limit_in_bytes`, 'utf8').trim(), String(64 * MiB));
    t.is(readFileSync(`/sys/fs/cgroup/pids${path}/pids.max`, 'utf8').trim(), '20');
    t.is(readFileSync(`/sys/fs/cgroup/cpu${path}/cpu.cfs_quota_us`, 'utf8').trim(), '13000');
    // hierarchies systemd does not manage are joined through cgroupfs, as runc does
    t.true(readFileSync(`/sys/fs/cgroup/freezer${path}/cgroup.procs`, 'utf8').split('\n').includes(String(pid)));
  }
  t.is(sdOrch(['delete', '--force', id]).status, 0);
  gone(t, unit, path);
});

maybe('"slice:prefix:name" puts the scope in a nested slice systemd makes', (t) => {
  const id = nextId();
  const unit = `pfx-${id}.scope`;
  const bundle = limitBundle({}, 'sleep 3600', (spec) => {
    spec.linux = { ...spec.linux, cgroupsPath: `orchtest-a.slice:pfx:${id}` };
  });
  const pid = runDetached(t, bundle.dir, id);
  const path = `/orchtest.slice/orchtest-a.slice/${unit}`;
  t.is(cgroupOf(pid), path);
  t.is(unitProperty(unit, 'Slice'), 'orchtest-a.slice');
  t.is(unitProperty('orchtest-a.slice', 'ActiveState'), 'active');
  t.is(sdOrch(['delete', '--force', id]).status, 0);
  gone(t, unit, path);
});

maybe('update changes the unit and cgroupfs; exec joins the scope; pause and resume', (t) => {
  const id = nextId();
  const unit = `orch-${id}.scope`;
  const bundle = limitBundle({ memory: { limit: 64 * MiB }, pids: { limit: 20 } }, 'sleep 3600');
  runDetached(t, bundle.dir, id);
  const updated = sdOrch(['update', '--memory', '96m', '--pids-limit', '30', id]);
  t.is(updated.status, 0, updated.stderr);
  t.is(unitProperty(unit, 'TasksMax'), '30');
  t.is(unitProperty(unit, version === 2 ? 'MemoryMax' : 'MemoryLimit'), String(96 * MiB));
  const pidsMax = version === 2 ? `/sys/fs/cgroup/system.slice/${unit}/pids.max` : `/sys/fs/cgroup/pids/system.slice/${unit}/pids.max`;
  t.is(readFileSync(pidsMax, 'utf8').trim(), '30');
  // below the usage: v1's kernel refuses it, v2 checks first when asked; either way the unit keeps its limit
  const tooLow = version === 1 ? sdOrch(['update', '--memory', '4096', id]) : sdOrch(['update', '-r', '-', id], { input: '{"memory":{"limit":4096,"checkBeforeUpdate":true}}' });
  t.is(tooLow.status, 1);
  t.regex(tooLow.stderr, version === 1 ? /unable to set memory limit to 4096/ : /rejecting memory limit 4096 <= usage \d+/);
  t.is(unitProperty(unit, version === 2 ? 'MemoryMax' : 'MemoryLimit'), String(96 * MiB));

  // the exec'd process is in the init's cgroup (the container's cgroup namespace shows it as /)
  const exec = sdOrch(['exec', id, 'sh', '-c', 'cat /proc/1/cgroup; echo --; cat /proc/self/cgroup']);
  t.is(exec.status, 0, exec.stderr);
  const [init, self] = exec.stdout.split('--\n');
  t.is(self, init);

  t.is(sdOrch(['pause', id]).status, 0);
  t.is(statusOf(root, id), 'paused');
  t.is(sdOrch(['resume', id]).status, 0);
  t.is(statusOf(root, id), 'running');
  t.is(sdOrch(['delete', '--force', id]).status, 0);
  gone(t, unit, `/system.slice/${unit}`);
});

maybe('a foreground run returns the status, and its unit is gone after', (t) => {
  const id = nextId();
  const bundle = limitBundle({}, 'grep -c . /proc/self/cgroup >/dev/null; exit 3');
  const result = sdOrch(['run', '--bundle', bundle.dir, id]);
  t.is(result.status, 3, result.stderr);
  gone(t, `orch-${id}.scope`, `/system.slice/orch-${id}.scope`);
});

maybe('org.systemd.property annotations reach the unit', (t) => {
  const id = nextId();
  const unit = `orch-${id}.scope`;
  const bundle = limitBundle({}, 'sleep 3600', (spec) => {
    spec.annotations = { 'org.systemd.property.TimeoutStopSec': 'uint64 7', 'org.systemd.property.CollectMode': "'inactive-or-failed'" };
  });
  runDetached(t, bundle.dir, id);
  t.is(unitProperty(unit, 'TimeoutStopUSec'), '7s');
  t.is(unitProperty(unit, 'CollectMode'), 'inactive-or-failed');
  t.is(sdOrch(['delete', '--force', id]).status, 0);
});

maybe('a create that fails leaves no unit, no cgroup and no state', (t) => {
  // refused by systemd itself
  const refused = nextId();
  const bad = limitBundle({}, 'true', (spec) => {
    spec.annotations = { 'org.systemd.property.NoSuchProperty': 'true' };
  });
  const r = sdOrch(['create', '--bundle', bad.dir, refused]);
  t.is(r.status, 1);
  // (the log line quotes the message, so the unit's quotes come out escaped)
  t.regex(r.stderr, new RegExp(`unable to start unit \\\\?"orch-${refused}\\.scope\\\\?": Cannot set property NoSuchProperty`));
  t.is(statusOf(root, refused), undefined);
  gone(t, `orch-${refused}.scope`, `/system.slice/orch-${refused}.scope`);

  // failing after the unit exists: the process cannot start
  const late = nextId();
  const missing = limitBundle({ pids: { limit: 10 } }, 'true', (spec) => {
    spec.process!.args = ['/no/such/binary'];
  });
  const l = sdOrch(['create', '--bundle', missing.dir, late]);
  t.is(l.status, 1);
  t.regex(l.stderr, /no\/such\/binary/);
  t.is(statusOf(root, late), undefined);
  gone(t, `orch-${late}.scope`, `/system.slice/orch-${late}.scope`);

  // caught before anything is made
  const early = nextId();
  const badValue = limitBundle({}, 'true', (spec) => {
    spec.annotations = { 'org.systemd.property.TimeoutStopSec': "'soon'" };
  });
  t.regex(sdOrch(['create', '--bundle', badValue.dir, early]).stderr, /annotation org.systemd.property.TimeoutStopSec='soon' value parse error: not a number/);
  t.is(statusOf(root, early), undefined);
});
