/**
 * Regression tests for container escapes, each attacking from the config or from inside the
 * container: CVE-2024-21626 (a host fd or host cwd reaching the process), CVE-2019-16884 (/proc
 * redirected), CVE-2025-31133 (a swapped /dev/null for masked paths), CVE-2025-52565 (a swapped
 * /dev/console). CVE-2019-5736 has its own file (it needs a private helper binary).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';
import { orch } from '../support/orch-cli.js';
import { nextId, probeBundle, runScript, stateRoot, tool } from './helpers/containers.js';

/** Opens fds in this process that orch inherits at 3.. (spawn's extra stdio entries). */
function withHostFds<T>(paths: string[], body: (fds: number[]) => T): T {
  const fds = paths.map((path) => openSync(path, 'r'));
  try {
    return body(fds);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

test('CVE-2024-21626: a cwd through a host directory fd never becomes the process cwd', (t) => {
  const hostDir = mkdtempSync(join(tmpdir(), 'orch-host-dir-'));
  withHostFds([hostDir, hostDir, hostDir, hostDir], (fds) => {
    // Passed on with --preserve-fds, fd 3 is really open in the init when it enters the cwd:
    // the chdir works, and only the check that the cwd is inside the root stops it.
    const bundle = probeBundle('pwd', (spec) => {
      spec.process!.cwd = '/proc/self/fd/3';
    });
    const preserved = orch(stateRoot, ['run', '--preserve-fds', '1', '--bundle', bundle.dir, nextId('cve21626')], { extraFds: fds });
    t.is(preserved.status, 1, `the process ran in ${preserved.stdout}`);
    t.regex(preserved.stderr, /process\.cwd \/proc\/self\/fd\/3: check that it is inside the container's root/);
    // Not preserved, the caller's fds (and the runtime's own) are no cwd either.
    for (let n = 3; n <= 9; n++) {
      const other = probeBundle('pwd', (spec) => {
        spec.process!.cwd = `/proc/self/fd/${n}`;
      });
      const result = orch(stateRoot, ['run', '--bundle', other.dir, nextId('cve21626')], { extraFds: fds });
      t.is(result.status, 1, `cwd /proc/self/fd/${n} ran: ${result.stdout}`);
      t.regex(result.stderr, /process\.cwd/, `fd ${n}`);
    }
  });
});

test('CVE-2024-21626: no fd but stdio and the preserved ones reaches the process', (t) => {
  const hostDir = mkdtempSync(join(tmpdir(), 'orch-host-dir-'));
  withHostFds([hostDir, '/etc/hostname', hostDir, hostDir], (fds) => {
    // ls itself opens one fd for the directory it lists: the highest number
    const plain = probeBundle('ls /proc/self/fd | sort -n | tr "\\n" " "');
    const result = orch(stateRoot, ['run', '--bundle', plain.dir, nextId('cve21626')], { extraFds: fds });
    t.is(result.status, 0, result.stderr);
    t.is(result.stdout, '0 1 2 3 ');

    const preserved = probeBundle('ls /proc/self/fd | sort -n | tr "\\n" " "; readlink /proc/self/fd/4');
    const kept = orch(stateRoot, ['run', '--preserve-fds', '2', '--bundle', preserved.dir, nextId('cve21626')], { extraFds: fds });
    t.is(kept.status, 0, kept.stderr);
    t.is(kept.stdout, '0 1 2 3 4 5 /etc/hostname\n');
  });
});

test('CVE-2024-21626: the cwd of the process and of its init is inside the container', (t) => {
  const result = runScript('readlink /proc/self/cwd; readlink /proc/1/cwd; pwd', (spec) => {
    spec.process!.cwd = '/tmp';
  });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, '/tmp\n/tmp\n/tmp\n');
});

test('CVE-2019-16884: /proc must be a real procfs on an ordinary directory', (t) => {
  // the image's /proc is a symlink: mounting through it would put procfs elsewhere
  const symlinked = runScript('true', undefined, [], (bundle) => {
    rmdirSync(join(bundle.rootfs, 'proc'));
    symlinkSync('/evil', join(bundle.rootfs, 'proc'));
  });
  t.is(symlinked.status, 1);
  t.regex(symlinked.stderr, /\/proc/);

  // a bind mount of something else over /proc, or into it
  const fake = mkdtempSync(join(tmpdir(), 'orch-fake-proc-'));
  const over = runScript('true', (spec) => {
    spec.mounts = spec.mounts!.map((m) => (m.destination === '/proc' ? { destination: '/proc', type: 'bind', source: fake, options: ['rbind'] } : m));
  });
  t.is(over.status, 1);
  t.regex(over.stderr, /\/proc.*(not of type proc|procfs)/);
  const into = runScript('true', (spec) => {
    spec.mounts!.push({ destination: '/proc/self/attr', type: 'bind', source: fake, options: ['rbind'] });
  });
  t.is(into.status, 1);
  t.regex(into.stderr, /\/proc\/self\/attr/);
});

/** The default spec without the /dev tmpfs: the image's own /dev is used, as some images want. */
const imageDev = (spec: Spec): void => {
  spec.mounts = spec.mounts!.filter((m) => !['/dev', '/dev/pts', '/dev/shm', '/dev/mqueue'].includes(m.destination));
};

test('CVE-2025-31133: masked paths are never masked with a /dev/null the image swapped for something else', (t) => {
  const corePattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
  for (const target of ['/proc/sys/kernel/core_pattern', '/etc/passwd']) {
    const result = runScript(
      'stat -c "%F %t:%T" /proc/kcore; grep -c core_pattern /proc/mounts; echo x >/proc/sys/kernel/core_pattern',
      imageDev,
      [],
      (bundle) => symlinkSync(target, join(bundle.rootfs, 'dev/null')),
    );
    if (result.status === 0) {
      // if it runs at all, /proc/kcore is masked by the real null device and nothing else moved
      t.regex(result.stdout, /^character special file 1:3\n0\n/m, target);
    } else {
      t.regex(result.stderr, /\/dev\/null/, target);
    }
  }
  t.is(readFileSync('/proc/sys/kernel/core_pattern', 'utf8'), corePattern);
});

test('CVE-2025-52565: the console pty is never mounted through a /dev/console the image swapped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-console-'));
  const socket = join(dir, 'console.sock');
  const pidFile = join(dir, 'recvtty.pid');
  const receiver = spawn(tool('recvtty'), ['--mode', 'null', '--no-stdin', '--pid-file', pidFile, socket], { stdio: 'ignore' });
  t.teardown(() => receiver.kill('SIGKILL'));
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await sleep(10);

  const corePattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
  const bundle = probeBundle('grep -c core_pattern /proc/mounts; echo x >/proc/sys/kernel/core_pattern', (spec) => {
    // the image's /dev, with a devpts for the pty
    spec.mounts = spec.mounts!.filter((m) => !['/dev', '/dev/shm', '/dev/mqueue'].includes(m.destination));
    spec.process!.terminal = true;
  });
  symlinkSync('/proc/sys/kernel/core_pattern', join(bundle.rootfs, 'dev/console'));
  const id = nextId('cve52565');
  const created = orch(stateRoot, ['create', '--console-socket', socket, '--bundle', bundle.dir, id]);
  if (created.status === 0) {
    t.teardown(() => orch(stateRoot, ['delete', '--force', id]));
    t.is(orch(stateRoot, ['start', id]).status, 0);
    await sleep(500);
  } else {
    t.regex(created.stderr, /\/dev\/console/);
  }
  t.is(readFileSync('/proc/sys/kernel/core_pattern', 'utf8'), corePattern);
});
