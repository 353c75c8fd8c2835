import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { makeBundle } from '../support/bundle.js';
import { ORCH_BIN, makeRoot, orch, waitForStatus } from '../support/orch-cli.js';
import { orchCommand } from './pty-session.js';

const root = makeRoot();

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'orch-stdio-'));
}

test('a detached container gets the caller stdio as it is (runc detached pass-through)', async (t) => {
  const dir = scratch();
  writeFileSync(join(dir, 'in'), 'typed input\n');
  const bundle = makeBundle(['sh', '-c', 'read line; echo "out: $line"; echo "err: $line" >&2']);
  const stdin = openSync(join(dir, 'in'), 'r');
  const stdout = openSync(join(dir, 'out'), 'w');
  const stderr = openSync(join(dir, 'err'), 'w');
  const result = spawnSync(process.execPath, [ORCH_BIN, '--root', root, 'run', '-d', '-b', bundle.dir, 'detached-io'], {
    stdio: [stdin, stdout, stderr],
  });
  [stdin, stdout, stderr].forEach((fd) => closeSync(fd));
  t.is(result.status, 0, readFileSync(join(dir, 'err'), 'utf8'));
  await waitForStatus(root, 'detached-io', 'stopped');
  t.is(readFileSync(join(dir, 'out'), 'utf8'), 'out: typed input\n');
  t.is(readFileSync(join(dir, 'err'), 'utf8'), 'err: typed input\n');
  t.is(orch(root, ['delete', 'detached-io']).status, 0);
});

test('a foreground run without a terminal keeps the caller stdio', (t) => {
  const bundle = makeBundle(['sh', '-c', 'read line; echo "got $line"; [ -t 0 ] || echo not-a-tty']);
  const result = orch(root, ['run', '-b', bundle.dir, 'fg-io'], { input: 'hello\n' });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'got hello\nnot-a-tty\n');
});

/** Shows which of fds 3.. the container has, writing a line into each, and the activation env. */
const probe = [
  'echo "LISTEN_FDS=${LISTEN_FDS:-unset} LISTEN_PID=${LISTEN_PID:-unset}"',
  'for fd in 3 4 5 6; do if [ -e /proc/self/fd/$fd ]; then echo "fd $fd" >&$fd; echo "has $fd"; fi; done',
].join('; ');

/**
 * Runs orch with files at fds 3.. and LISTEN_FDS set, as systemd starts a socket-activated
 * service: LISTEN_PID is the pid of the orch process itself (the shell execs node).
 */
function runActivated(id: string, listenFds: number, files: string[], options: { pidMatches: boolean; preserveFds: number }) {
  const bundle = makeBundle(['sh', '-c', probe]);
  const fds = files.map((path) => openSync(path, 'w'));
  const setPid = options.pidMatches ? 'LISTEN_PID=$$' : 'LISTEN_PID=1';
  const script = `export LISTEN_FDS=${listenFds} ${setPid}; exec ${orchCommand(root)} run --preserve-fds ${options.preserveFds} -b '${bundle.dir}' ${id}`;
  try {
    return spawnSync('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe', ...fds], encoding: 'utf8' });
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
}

test('LISTEN_FDS socket activation: the fds come first, then --preserve-fds, with LISTEN_FDS=N LISTEN_PID=1', (t) => {
  const dir = scratch();
  const files = ['a', 'b', 'c'].map((name) => join(dir, name));
  const result = runActivated('activated', 2, files, { pidMatches: true, preserveFds: 1 });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'LISTEN_FDS=2 LISTEN_PID=1\nhas 3\nhas 4\nhas 5\n');
  t.deepEqual(files.map((f) => readFileSync(f, 'utf8')), ['fd 3\n', 'fd 4\n', 'fd 5\n']);
});

test('LISTEN_FDS meant for another process is ignored', (t) => {
  const dir = scratch();
  const files = ['a', 'b'].map((name) => join(dir, name));
  const result = runActivated('not-activated', 2, files, { pidMatches: false, preserveFds: 0 });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'LISTEN_FDS=unset LISTEN_PID=unset\n');
  t.deepEqual(files.map((f) => readFileSync(f, 'utf8')), ['', '']);
});

test('--preserve-fds passes exactly N fds after stdio', (t) => {
  const dir = scratch();
  const files = ['a', 'b', 'c'].map((name) => join(dir, name));
  const fds = files.map((path) => openSync(path, 'w'));
  try {
    const bundle = makeBundle(['sh', '-c', probe]);
    const result = orch(root, ['run', '--preserve-fds', '2', '-b', bundle.dir, 'preserved'], { extraFds: fds });
    t.is(result.status, 0, result.stderr);
    t.is(result.stdout, 'LISTEN_FDS=unset LISTEN_PID=unset\nhas 3\nhas 4\n');
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
  t.deepEqual(files.map((f) => readFileSync(f, 'utf8')), ['fd 3\n', 'fd 4\n', '']);
});
