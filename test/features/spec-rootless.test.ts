import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';
import { makeRootfs } from '../support/bundle.js';
import { ORCH_BIN } from '../support/orch-cli.js';

const USER = 1000;

/**
 * orch run as an unprivileged user (uid/gid 1000, no groups), as a rootless user runs it. Output
 * goes to files: a detached container inherits it, and a pipe would hold the call until it exits.
 */
function orchAsUser(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'orch-out-'));
  const [out, err] = [openSync(join(dir, 'stdout'), 'w'), openSync(join(dir, 'stderr'), 'w')];
  try {
    const result = spawnSync('setpriv', ['--reuid', String(USER), '--regid', String(USER), '--clear-groups', process.execPath, ORCH_BIN, ...args], {
      cwd,
      stdio: ['ignore', out, err],
      env: { ...process.env, HOME: cwd, XDG_RUNTIME_DIR: cwd },
      timeout: 60_000,
    });
    return { status: result.status, stdout: readFileSync(join(dir, 'stdout'), 'utf8'), stderr: readFileSync(join(dir, 'stderr'), 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('spec --rootless writes runc\'s rootless config; a user without privileges runs it and execs into it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-rootless-'));
  chmodSync(dir, 0o755);
  const bundle = join(dir, 'bundle');
  const state = join(dir, 'state');
  for (const d of [bundle, state]) mkdirSync(d);
  makeRootfs(join(bundle, 'rootfs'));
  spawnSync('chown', ['-hR', `${USER}:${USER}`, dir]);

  const spec = orchAsUser(['spec', '--rootless'], bundle);
  t.is(spec.status, 0, spec.stderr);
  const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as Spec;
  // runc's rootless rules: the caller's own ids mapped to root, no network or cgroup namespace
  // of its own, /sys bound from the host, no uid/gid options on devpts
  t.deepEqual(config.linux!.uidMappings, [{ containerID: 0, hostID: USER, size: 1 }]);
  t.deepEqual(config.linux!.gidMappings, [{ containerID: 0, hostID: USER, size: 1 }]);
  t.deepEqual(config.linux!.namespaces!.map((ns) => ns.type).sort(), ['ipc', 'mount', 'pid', 'user', 'uts']);
  t.is(config.linux!.resources, undefined);
  t.is(config.mounts!.find((m) => m.destination === '/sys')?.source, '/sys');
  t.false(config.mounts!.find((m) => m.destination === '/dev/pts')?.options?.some((o) => o.startsWith('gid=')) ?? true);

  config.process!.args = ['sleep', '1000'];
  config.process!.terminal = false;
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
  const id = `rootless-${process.pid}`;
  const run = orchAsUser(['--root', state, 'run', '-d', id], bundle);
  t.is(run.status, 0, run.stderr);
  t.teardown(() => void orchAsUser(['--root', state, 'delete', '-f', id], bundle));

  const { pid } = JSON.parse(orchAsUser(['--root', state, 'state', id], bundle).stdout) as { pid: number };
  const exec = orchAsUser(['--root', state, 'exec', id, 'sh', '-c', 'id -u; cat /proc/self/uid_map; readlink /proc/self/ns/user'], bundle);
  t.is(exec.status, 0, exec.stderr);
  const [uid, map, userns] = exec.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  t.is(uid, '0');
  t.is(map, `0 ${USER} 1`);
  t.is(userns, readlinkSync(`/proc/${pid}/ns/user`));
});
