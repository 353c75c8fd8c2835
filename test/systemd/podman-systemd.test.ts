import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORCH_BIN, orch } from '../support/orch-cli.js';
import { missingFor, podmanStore, preparePodmanStore, removeScratch, runClient } from '../clients/client-support.js';
import { systemdRunning } from '../../orchestrator/src/cgroups/systemd/systemd-running.js';

// podman as it runs on a systemd host: cgroup_manager "systemd", so it calls orch with
// --systemd-cgroup and a "machine.slice:libpod:<id>" cgroupsPath. Runs next to a real systemd
// (test/systemd/with-systemd.sh, from real-systemd.test.ts); skipped elsewhere.
const skipReason = !systemdRunning() ? 'systemd does not run here' : missingFor(['podman', 'conmon']);
const scratch = skipReason === undefined ? mkdtempSync(join(tmpdir(), 'orch-podman-sd-')) : '/nonexistent';
const store = podmanStore(scratch, ORCH_BIN, 'systemd');
const IMAGE = 'localhost/orch-busybox:systemd';
const podman = (args: string[]): ReturnType<typeof runClient> => runClient('podman', [...store.flags, ...args], { env: store.env });
const unitProperty = (unit: string, name: string): string => execFileSync('systemctl', ['show', '-p', name, '--value', unit], { encoding: 'utf8' }).trim();

test.before(() => {
  if (skipReason !== undefined) return;
  // journald is not running beside this systemd
  preparePodmanStore(scratch, store, IMAGE, ['log_driver = "k8s-file"']);
});

test.after.always(() => {
  if (skipReason !== undefined) return;
  podman(['rm', '--all', '--force', '--time', '0']);
  podman(['rmi', '--all', '--force']);
  removeScratch(scratch);
});

const podmanTest = (title: string, fn: (t: ExecutionContext) => void): void => {
  if (skipReason === undefined) test.serial(title, fn);
  else test.skip(`${title} [skipped: ${skipReason}]`, fn);
};

podmanTest('podman with the systemd cgroup manager: each container is a libpod scope in machine.slice, made by orch, gone after rm', (t) => {
  const once = podman(['run', '--rm', '--memory', '64m', IMAGE, 'sh', '-c', 'echo hello; exit 5']);
  t.is(once.status, 5, once.stderr);
  t.is(once.stdout, 'hello\n');

  const run = podman(['run', '--detach', '--pids-limit', '50', IMAGE, 'sleep', '3600']);
  t.is(run.status, 0, run.stderr);
  const id = run.stdout.trim();
  const unit = `libpod-${id}.scope`;
  t.teardown(() => void podman(['rm', '--force', '--time', '0', id]));
  t.is(unitProperty(unit, 'ActiveState'), 'active');
  t.is(unitProperty(unit, 'Slice'), 'machine.slice');
  t.is(unitProperty(unit, 'TasksMax'), '50');
  t.is(unitProperty(unit, 'Description'), `orch container ${id}`);
  const state = JSON.parse(orch('/run/orch', ['state', id]).stdout) as { pid: number };
  t.regex(execFileSync('cat', [`/proc/${state.pid}/cgroup`], { encoding: 'utf8' }), new RegExp(`/machine\\.slice/${unit.replace('.', '\\.')}$`, 'm'));

  const exec = podman(['exec', id, 'sh', '-c', 'exit 4']);
  t.is(exec.status, 4, exec.stderr);
  const rm = podman(['rm', '--force', '--time', '0', id]);
  t.is(rm.status, 0, rm.stderr);
  t.is(unitProperty(unit, 'LoadState'), 'not-found');
});
