import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch, statusOf } from '../support/orch-cli.js';
import { tool } from '../security/helpers/containers.js';

// --pidfd-socket (runc 1.2, which containerd's shim passes when the runtime has it): the caller
// listens on a unix socket and gets a pidfd of the container's process by SCM_RIGHTS, named
// "standard" for create/run and "setns" for exec, as runc names it. test/container/tools/
// pidfd-receiver plays the shim: it prints the name and the pid the fd refers to, and can signal
// the process through it.
const root = makeRoot();
let serial = 0;
const nextId = (): string => `pidfd-${process.pid}-${++serial}`;

interface Receiver {
  socket: string;
  output: Promise<string>;
  child: ChildProcess;
}

async function receiver(t: ExecutionContext, killSignal?: number): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-pidfd-'));
  const socket = join(dir, 'pidfd.sock');
  const ready = join(dir, 'ready');
  const child = spawn(tool('pidfd-receiver'), ['--ready', ready, ...(killSignal ? ['--kill', String(killSignal)] : []), socket], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const output = new Promise<string>((resolve) => child.on('close', () => resolve(out)));
  for (let i = 0; i < 200 && !existsSync(ready); i++) await sleep(10);
  if (!existsSync(ready)) throw new Error('pidfd-receiver did not start');
  return { socket, output, child };
}

const initPid = (id: string): number => (JSON.parse(orch(root, ['state', id]).stdout) as { pid: number }).pid;

test.after.always(() => {
  for (const id of [...Array(serial).keys()].map((i) => `pidfd-${process.pid}-${i + 1}`)) orch(root, ['delete', '--force', id]);
});

test.serial("create --pidfd-socket hands the caller a pidfd of the container's init, which can signal it", async (t) => {
  const id = nextId();
  const bundle = makeBundle(['sleep', '3600']);
  const r = await receiver(t, 9);
  const created = orch(root, ['create', '--pidfd-socket', r.socket, '--bundle', bundle.dir, id]);
  t.is(created.status, 0, created.stderr);
  const pid = initPid(id);
  r.child.stdin?.end('go\n');
  t.is(await r.output, `standard ${pid}\nexited\n`);
  for (let i = 0; i < 100 && statusOf(root, id) !== 'stopped'; i++) await sleep(20);
  t.is(statusOf(root, id), 'stopped', 'SIGKILL through the pidfd ended the init');
  t.is(orch(root, ['delete', id]).status, 0);
});

test.serial('exec --pidfd-socket: a pidfd of the exec\'d process, named "setns"', async (t) => {
  const id = nextId();
  const bundle = makeBundle(['sleep', '3600']);
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  const r = await receiver(t);
  // detached and long-lived: a pidfd of a process that has exited shows no pid to check
  const pidFile = join(mkdtempSync(join(tmpdir(), 'orch-pidfd-')), 'exec.pid');
  const exec = orch(root, ['exec', '--detach', '--pid-file', pidFile, '--pidfd-socket', r.socket, id, 'sleep', '3600']);
  t.is(exec.status, 0, exec.stderr);
  const [name, pid] = (await r.output).trim().split(' ');
  t.is(name, 'setns');
  // the host's pid of the exec'd process, not the init's
  t.is(Number(pid), Number(readFileSync(pidFile, 'utf8')));
  t.not(Number(pid), initPid(id));
  t.is(orch(root, ['delete', '--force', id]).status, 0);
});

test.serial('a pidfd socket nobody listens on fails create with the dial error, leaving nothing', (t) => {
  const id = nextId();
  const bundle = makeBundle(['true']);
  const missing = join(mkdtempSync(join(tmpdir(), 'orch-pidfd-')), 'none.sock');
  const result = orch(root, ['create', '--pidfd-socket', missing, '--bundle', bundle.dir, id]);
  t.is(result.status, 1);
  t.regex(result.stderr, new RegExp(`pidfd socket: dial unix ${missing}: connect: no such file or directory`));
  t.is(statusOf(root, id), undefined);
  t.false(existsSync(join(root, id)));
  t.false(readFileSync('/proc/self/mountinfo', 'utf8').includes(bundle.dir), 'no mount of the bundle is left');
});
