import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';
import { RECVTTY, TerminalSession, orchCommand, shellQuote } from '../terminal/pty-session.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `exectty-${process.pid}-${++serial}`;

function runningContainer(t: { teardown(fn: () => void): void }): string {
  const bundle = makeBundle(['sleep', '1000']);
  const id = nextId();
  const run = orch(root, ['run', '-d', '-b', bundle.dir, id]);
  if (run.status !== 0) throw new Error(`run failed: ${run.stderr}`);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  return id;
}

test.serial('exec -t at a terminal: a pty of the container as stdio and terminal, input, size, exit status', async (t) => {
  const id = runningContainer(t);
  // /dev/console stays the init's: the exec'd process's pty is not bound onto it
  const script = `${orchCommand(root)} exec -t ${shellQuote(id)} sh -c '[ /dev/console -ef "$(tty)" ] || tty; stty size; read line; echo "got $line"; exit 6'; echo "exit=$?"`;
  const session = new TerminalSession(script, { cols: 90, rows: 30 });
  t.teardown(() => session.kill());
  let at = (await session.waitFor(/\/dev\/pts\/\d+\r\n30 90\r\n/)).end;
  session.type('hello\r');
  at = (await session.waitFor(/got hello\r\n/, { from: at })).end;
  await session.waitFor(/exit=6\r\n/, { from: at });
  t.is(await session.exited, 0);
});

test.serial('exec -t -d --console-socket sends the pty master to the socket', async (t) => {
  const id = runningContainer(t);
  const dir = mkdtempSync(join(tmpdir(), 'orch-exec-console-'));
  const socket = join(dir, 'console.sock');
  const pidFile = join(dir, 'recvtty.pid');
  const receiver = spawn(RECVTTY, ['--mode', 'single', '--no-stdin', '--pid-file', pidFile, socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => receiver.kill('SIGKILL'));
  let received = '';
  receiver.stdout.setEncoding('utf8').on('data', (d: string) => (received += d));
  const closed = new Promise<number | null>((resolve) => receiver.on('close', resolve));
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));

  const result = orch(root, ['exec', '-t', '-d', '--console-socket', socket, id, 'sh', '-c', 'tty; [ -t 0 ] && [ -t 2 ] && echo all-stdio-on-it']);
  t.is(result.status, 0, result.stderr);
  t.is(await closed, 0);
  t.regex(received, /^\/dev\/pts\/\d+\r\nall-stdio-on-it\r\n$/);
});

test.serial('a console socket needs -t and -d, and -t -d needs a console socket (runc\'s words)', (t) => {
  const id = runningContainer(t);
  const noSocket = orch(root, ['exec', '-t', '-d', id, 'true']);
  t.is(noSocket.status, 255);
  t.regex(noSocket.stderr, /exec failed: cannot allocate tty if runc will detach without setting console socket/);
  const noTty = orch(root, ['exec', '-d', '--console-socket', '/tmp/nowhere.sock', id, 'true']);
  t.is(noTty.status, 255);
  t.regex(noTty.stderr, /exec failed: cannot use console socket if runc will not detach or allocate tty/);
});
