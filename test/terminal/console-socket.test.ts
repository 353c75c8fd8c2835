import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch, statusOf, waitForStatus } from '../support/orch-cli.js';
import { RECVTTY } from './pty-session.js';

const root = makeRoot();

interface Receiver {
  socket: string;
  /** recvtty's exit code and what it printed: the container's terminal output */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): void;
}

/** recvtty listening on a fresh socket path; resolves once it is listening. */
async function startReceiver(mode: 'single' | 'null'): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-console-'));
  const socket = join(dir, 'console.sock');
  const pidFile = join(dir, 'recvtty.pid');
  const child = spawn(RECVTTY, ['--mode', mode, '--no-stdin', '--pid-file', pidFile, socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));
  if (!existsSync(pidFile)) throw new Error(`recvtty did not start: ${stderr}`);
  return { socket, done, stop: () => child.kill('SIGKILL') };
}

test('create --console-socket sends the pty master; the process has it as stdio, ctty and /dev/console', async (t) => {
  const receiver = await startReceiver('single');
  t.teardown(receiver.stop);
  const bundle = makeBundle(
    ['sh', '-c', 'tty; stty size; [ /dev/console -ef "$(tty)" ] && echo console-ok; exec 3</dev/tty && echo ctty-ok; ls -l /proc/self/fd/0 /proc/self/fd/2 | grep -c pts'],
    (spec) => {
      spec.process!.terminal = true;
      spec.process!.consoleSize = { height: 30, width: 100 };
    },
  );
  const created = orch(root, ['create', '--console-socket', receiver.socket, '-b', bundle.dir, 'sock']);
  t.is(created.status, 0, created.stderr);
  t.is(orch(root, ['start', 'sock']).status, 0);
  const received = await receiver.done;
  t.is(received.code, 0, received.stderr);
  t.is(received.stdout, '/dev/pts/0\r\n30 100\r\nconsole-ok\r\nctty-ok\r\n2\r\n');
  await waitForStatus(root, 'sock', 'stopped');
  t.is(orch(root, ['delete', 'sock']).status, 0);
});

test('with a user namespace the pty comes from the container devpts and belongs to the process user', async (t) => {
  const receiver = await startReceiver('single');
  t.teardown(receiver.stop);
  const bundle = makeBundle(['sh', '-c', 'id -u; tty; stat -c %u "$(tty)"; ls -1 /dev/pts'], (spec) => {
    spec.process!.terminal = true;
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 300000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 300000, size: 65536 }];
  });
  const created = orch(root, ['create', '--console-socket', receiver.socket, '-b', bundle.dir, 'userns']);
  t.is(created.status, 0, created.stderr);
  t.is(orch(root, ['start', 'userns']).status, 0);
  const received = await receiver.done;
  t.is(received.code, 0, received.stderr);
  // a devpts instance of its own: its one pty, nothing of the host's
  t.deepEqual(received.stdout.split('\r\n'), ['1000', '/dev/pts/0', '1000', '0', 'ptmx', '']);
  await waitForStatus(root, 'userns', 'stopped');
  t.is(orch(root, ['delete', 'userns']).status, 0);
});

test('a null-mode receiver takes the terminals of several containers on one socket', async (t) => {
  const receiver = await startReceiver('null');
  t.teardown(receiver.stop);
  const bundle = makeBundle(['sh', '-c', 'echo hidden output'], (spec) => {
    spec.process!.terminal = true;
  });
  for (const id of ['null-1', 'null-2']) {
    const created = orch(root, ['create', '--console-socket', receiver.socket, '-b', bundle.dir, id]);
    t.is(created.status, 0, created.stderr);
    t.is(orch(root, ['start', id]).status, 0);
  }
  for (const id of ['null-1', 'null-2']) {
    await waitForStatus(root, id, 'stopped');
    t.is(orch(root, ['delete', id]).status, 0);
  }
});

test('a terminal without a console socket cannot be detached (runc words)', (t) => {
  const bundle = makeBundle(['true'], (spec) => {
    spec.process!.terminal = true;
  });
  for (const args of [['create'], ['run', '-d']]) {
    const result = orch(root, [...args, '-b', bundle.dir, 'no-socket']);
    t.is(result.status, 1);
    t.regex(result.stderr, /cannot allocate tty if runc will detach without setting console socket/);
    t.is(statusOf(root, 'no-socket'), undefined);
  }
});

test('a console socket needs a detached container with a terminal (runc words)', async (t) => {
  const receiver = await startReceiver('null');
  t.teardown(receiver.stop);
  const withTerminal = makeBundle(['true'], (spec) => {
    spec.process!.terminal = true;
  });
  const foreground = orch(root, ['run', '--console-socket', receiver.socket, '-b', withTerminal.dir, 'socket-fg']);
  t.is(foreground.status, 1);
  t.regex(foreground.stderr, /cannot use console socket if runc will not detach or allocate tty/);
  const withoutTerminal = makeBundle(['true']);
  const created = orch(root, ['create', '--console-socket', receiver.socket, '-b', withoutTerminal.dir, 'socket-no-tty']);
  t.is(created.status, 1);
  t.regex(created.stderr, /cannot use console socket if runc will not detach or allocate tty/);
});

test('a console socket path that is no socket fails create as runc does, leaving nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-console-'));
  const file = join(dir, 'not-a-socket');
  writeFileSync(file, '');
  const bundle = makeBundle(['true'], (spec) => {
    spec.process!.terminal = true;
  });
  const notSocket = orch(root, ['create', '--console-socket', file, '-b', bundle.dir, 'bad-socket']);
  t.is(notSocket.status, 1);
  t.true(notSocket.stderr.includes(`orch create failed: dial unix ${file}: connect: connection refused`), notSocket.stderr);
  t.is(statusOf(root, 'bad-socket'), undefined);
  const missing = orch(root, ['create', '--console-socket', join(dir, 'missing'), '-b', bundle.dir, 'bad-socket']);
  t.is(missing.status, 1);
  t.true(missing.stderr.includes(`orch create failed: dial unix ${join(dir, 'missing')}: connect: no such file or directory`), missing.stderr);
  t.is(statusOf(root, 'bad-socket'), undefined);
});
