import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORCH_BIN, orch } from '../support/orch-cli.js';
import { TerminalSession, shellQuote } from '../terminal/pty-session.js';
import { systemdRunning } from '../../orchestrator/src/cgroups/systemd/systemd-running.js';
import { busyboxLayer, eventually, existingCgroups, missingFor, mountsUnder, ociArchive, removeCgroups, removeIfCreated, removeScratch, runClient } from './client-support.js';

// orch as containerd's runtime: a private containerd daemon (own root, state and socket in a
// scratch dir), driven with ctr; its runc shim v2 (containerd-shim-runc-v2) calls orch as it calls
// runc (go-runc: --root, --log <bundle>/log.json --log-format json; ../shared/reference/clients.md),
// given by ctr's --runc-binary (the runtime option BinaryName). Next to a real systemd
// (test/systemd/real-systemd.test.ts runs this file there too) the shim runs orch with
// --systemd-cgroup, as containerd's SystemdCgroup = true does for Kubernetes on systemd hosts.
const skipReason = missingFor(['containerd', 'ctr', 'containerd-shim-runc-v2']);
const clientTest = (title: string, fn: (t: ExecutionContext) => Promise<void> | void): void => {
  if (skipReason === undefined) test.serial(title, fn);
  else test.skip(`${title} [skipped: ${skipReason}]`, fn);
};

const IMAGE = 'localhost/orch-busybox:clients';
const NAMESPACE = 'orch-test';
// made only where the tests run: ava runs no after hook when every test is skipped
const scratch = skipReason === undefined ? mkdtempSync(join(tmpdir(), 'orch-containerd-')) : '/nonexistent';
const socket = join(scratch, 'containerd.sock');
/** --runc-root: the shim gives orch --root <this>/<namespace> */
const orchRoot = join(scratch, 'orch');
const orchStateRoot = join(orchRoot, NAMESPACE);
const fifoDir = join(scratch, 'fifo');
const cgroupParent = `orch-ctr-test-${process.pid}`;
// containerd 1.6 puts the shims' sockets in /run/containerd/s whatever its state dir
const removeHostLeftovers = removeIfCreated(['/run/containerd']);
const systemd = systemdRunning();
let daemon: ChildProcess | undefined;
let serial = 0;
const nextId = (): string => `orch-ctr-${process.pid}-${++serial}`;

function ctr(args: string[], options: { input?: string } = {}): ReturnType<typeof runClient> {
  return runClient('ctr', ['--address', socket, '--namespace', NAMESPACE, ...args], options);
}

/** The flags that make `ctr run` use orch, with state, fifos and cgroup where the test cleans up. */
function runFlags(id: string): string[] {
  const cgroup = systemd ? ['--runc-systemd-cgroup', '--cgroup', `system.slice:orch-ctr:${id}`] : ['--cgroup', `/${cgroupParent}/${id}`];
  return ['--fifo-dir', fifoDir, '--runc-binary', ORCH_BIN, '--runc-root', orchRoot, ...cgroup];
}

/** The container's cgroup, relative to the hierarchies' roots. */
function cgroupOf(id: string): string {
  return systemd ? `system.slice/orch-ctr-${id}.scope` : `${cgroupParent}/${id}`;
}

/** STATUS and PID of the task in `ctr task ls`, or undefined when there is no task. */
function taskStatus(id: string): { status: string; pid: number } | undefined {
  const line = ctr(['task', 'ls']).stdout.split('\n').find((l) => l.split(/\s+/)[0] === id);
  if (line === undefined) return undefined;
  const [, pid, status] = line.trim().split(/\s+/);
  return { status: status ?? '', pid: Number(pid) };
}

function orchState(id: string): { status: string; pid: number } | undefined {
  const result = orch(orchStateRoot, ['state', id]);
  return result.status === 0 ? (JSON.parse(result.stdout) as { status: string; pid: number }) : undefined;
}

/** The containers in orch's state dir (lock files aside). */
function orchContainers(): string[] {
  return existsSync(orchStateRoot) ? readdirSync(orchStateRoot).filter((n) => !n.includes('@')) : [];
}

function containerIds(): string[] {
  return ctr(['container', 'ls', '--quiet']).stdout.split('\n').filter((l) => l !== '');
}

/** Deletes the task (killing it first) and the container; what is already gone is fine. */
async function removeContainer(id: string): Promise<void> {
  if (taskStatus(id) !== undefined) {
    ctr(['task', 'kill', '--signal', 'SIGKILL', id]);
    for (let i = 0; i < 100 && taskStatus(id)?.status === 'RUNNING'; i++) await sleep(100);
    ctr(['task', 'delete', '--force', id]);
  }
  ctr(['container', 'rm', id]);
}

/** `ctr run -d`, its output to a log file; returns the log's path. */
function runDetached(t: ExecutionContext, id: string, script: string): string {
  const log = join(scratch, `${id}.log`);
  const result = ctr(['run', '--detach', '--log-uri', `file://${log}`, ...runFlags(id), IMAGE, id, 'sh', '-c', script]);
  t.is(result.status, 0, `ctr run -d: ${result.stderr}`);
  t.teardown(() => removeContainer(id));
  return log;
}

const logOf = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

test.before(async () => {
  if (skipReason !== undefined) return;
  mkdirSync(fifoDir);
  const config = join(scratch, 'config.toml');
  writeFileSync(
    config,
    [
      'version = 2',
      `root = "${join(scratch, 'root')}"`,
      `state = "${join(scratch, 'state')}"`,
      // CRI would want CNI and a sandbox image; opt would make /opt/containerd; the other
      // snapshotters and tracing are not needed
      'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]',
      '[grpc]',
      `  address = "${socket}"`,
      '[ttrpc]',
      `  address = "${socket}.ttrpc"`,
      '',
    ].join('\n'),
  );
  const log = openSync(join(scratch, 'containerd.log'), 'w');
  daemon = spawn('containerd', ['--config', config, '--log-level', 'debug'], { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => daemon?.once('exit', () => resolve()));
  for (let i = 0; ctr(['version']).status !== 0; i++) {
    if (i > 100 || daemon.exitCode !== null) throw new Error(`containerd did not start: ${readFileSync(join(scratch, 'containerd.log'), 'utf8').slice(-2000)}`);
    await Promise.race([sleep(100), exited]);
  }
  // no registry here: an OCI archive made by hand from a busybox rootfs
  const imported = ctr(['image', 'import', ociArchive(scratch, busyboxLayer(scratch), IMAGE)]);
  if (imported.status !== 0) throw new Error(`ctr image import: ${imported.stderr}`);
});

test.after.always(async () => {
  if (daemon !== undefined && daemon.exitCode === null) {
    for (const id of containerIds()) await removeContainer(id);
    ctr(['image', 'rm', IMAGE]);
    const exited = new Promise((resolve) => daemon?.once('exit', resolve));
    daemon.kill('SIGTERM');
    if ((await Promise.race([exited, sleep(10_000).then(() => 'timeout')])) === 'timeout') daemon.kill('SIGKILL');
  }
  if (skipReason === undefined) removeScratch(scratch);
  await removeCgroups(cgroupParent);
  removeHostLeftovers();
});

clientTest('ctr run --rm: the output, the exit status and stdin pass through the runc shim and orch', (t) => {
  const id = nextId();
  const result = ctr(['run', '--rm', ...runFlags(id), IMAGE, id, 'sh', '-c', 'echo "hello from pid $$ as $(id -un)"; echo oops >&2; exit 7']);
  t.is(result.status, 7, result.stderr);
  t.is(result.stdout, 'hello from pid 1 as root\n');
  t.is(result.stderr, 'oops\n');

  const piped = nextId();
  const read = ctr(['run', '--rm', ...runFlags(piped), IMAGE, piped, 'sh', '-c', 'read line; echo "got: $line"'], { input: 'a line\n' });
  t.is(read.status, 0, read.stderr);
  t.is(read.stdout, 'got: a line\n');

  t.deepEqual(containerIds(), [], '--rm removed the containers');
  t.deepEqual(orchContainers(), [], 'and orch deleted them');
});

clientTest("an error of orch's reaches the user through the shim (the --log file's last error)", (t) => {
  const id = nextId();
  const result = ctr(['run', '--rm', ...runFlags(id), IMAGE, id, 'no-such-command']);
  t.is(result.status, 1);
  t.regex(result.stderr, /OCI runtime create failed: orch create failed: exec: "no-such-command": executable file not found in \$PATH/);
  t.deepEqual(containerIds(), []);
  t.deepEqual(orchContainers(), []);
});

clientTest('a detached task: exec, ps, pause and resume, signals, kill and delete', async (t) => {
  const id = nextId();
  const log = runDetached(t, id, 'trap "echo got USR1" USR1; trap "echo got TERM; exit 3" TERM; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done');
  const task = taskStatus(id);
  t.is(task?.status, 'RUNNING');
  t.not(existingCgroups(cgroupOf(id)).length, 0, 'the task is in its cgroup');
  if (systemd) t.regex(readFileSync(`/proc/${task?.pid ?? 0}/cgroup`, 'utf8'), new RegExp(`/${cgroupOf(id).replace(/\./g, '\\.')}$`, 'm'));
  // the task containerd shows is the container orch runs
  const state = orchState(id);
  t.is(state?.status, 'running');
  t.is(state?.pid, task?.pid);

  const exec = ctr(['task', 'exec', '--fifo-dir', fifoDir, '--exec-id', 'probe', id, 'sh', '-c', 'echo "init: $(tr "\\0" " " < /proc/1/cmdline)"; exit 3']);
  t.is(exec.status, 3, exec.stderr);
  t.regex(exec.stdout, /^init: sh -c trap "echo got USR1" USR1;/);
  // `ctr task ps` is `orch ps --format json`
  const ps = ctr(['task', 'ps', id]);
  t.is(ps.status, 0, ps.stderr);
  t.true(ps.stdout.split('\n').some((l) => l.split(/\s+/)[0] === String(task?.pid)), ps.stdout);

  const ticks = (): number => logOf(log).split('\n').filter((l) => l.startsWith('tick')).length;
  await eventually('a first tick', () => (ticks() > 0 ? true : undefined));
  const pause = ctr(['task', 'pause', id]);
  t.is(pause.status, 0, pause.stderr);
  t.is(taskStatus(id)?.status, 'PAUSED');
  t.is(orchState(id)?.status, 'paused');
  // a tick written just before the freeze may still be on its way to the log
  await sleep(300);
  const frozenAt = ticks();
  await sleep(800);
  t.is(ticks(), frozenAt, 'no tick while paused');
  const resume = ctr(['task', 'resume', id]);
  t.is(resume.status, 0, resume.stderr);
  t.is(taskStatus(id)?.status, 'RUNNING');
  await eventually('ticks after resume', () => (ticks() > frozenAt + 2 ? true : undefined));

  t.is(ctr(['task', 'kill', '--signal', 'SIGUSR1', id]).status, 0);
  await eventually('the USR1 trap', () => (logOf(log).includes('got USR1') ? true : undefined));
  t.is(taskStatus(id)?.status, 'RUNNING', 'the trap kept it running');
  // ctr task kill sends SIGTERM by default
  t.is(ctr(['task', 'kill', id]).status, 0);
  await eventually('the task to stop', () => (taskStatus(id)?.status === 'STOPPED' ? true : undefined));
  t.regex(logOf(log), /got TERM\n$/);

  const del = ctr(['task', 'delete', id]);
  t.is(del.status, 0, del.stderr);
  t.regex(del.stderr, new RegExp(`task ${id} exit with non-zero exit code 3`));
  t.is(orchState(id), undefined, "orch's state of the container is gone");
  t.is(ctr(['container', 'rm', id]).status, 0);
  t.deepEqual(containerIds(), []);
  t.deepEqual(existingCgroups(cgroupOf(id)), [], 'orch removed the cgroup');
  t.deepEqual(mountsUnder(join(scratch, 'state')), [], 'the shim unmounted the rootfs');
});

/** A ctr command line for a terminal script (TerminalSession runs `sh -c`). */
function ctrCommand(args: string[]): string {
  return ['ctr', '--address', socket, '--namespace', NAMESPACE, ...args].map(shellQuote).join(' ');
}

clientTest("ctr run -t: an interactive shell on a terminal of the user's size, resized with it", async (t) => {
  const id = nextId();
  t.teardown(() => removeContainer(id));
  const run = ctrCommand(['run', '--rm', '--tty', '--env', 'PS1=ctr$ ', ...runFlags(id), IMAGE, id, 'sh']);
  // ctr leaves the user's terminal turning \n into \r\n (opost), so lines end in \r\r\n, with runc as well
  const session = new TerminalSession(`${run}; echo "exit=$?"`, { cols: 100, rows: 30 });
  t.teardown(() => session.kill());
  let at = (await session.waitFor('ctr$ ', { timeout: 30_000 })).end;
  session.type('tty\r');
  at = (await session.waitFor(/\/dev\/pts\/0\r+\n/, { from: at })).end;
  // under the VM's emulation the shim may still be setting the console up when the shell starts
  // (a first `stty size` there once failed): ask until the size shows
  await eventually('the initial window size', () => {
    if (/30 100\r+\n/.test(session.output.slice(at))) return true;
    session.type('stty size\r');
    return undefined;
  });
  at = session.output.length;
  session.resize(120, 40);
  // ctr passes the new size on after SIGWINCH: ask until it shows
  await eventually('the new window size', () => {
    if (/40 120\r+\n/.test(session.output.slice(at))) return true;
    session.type('stty size\r');
    return undefined;
  });
  session.type('echo $((6 * 7))\r');
  at = (await session.waitFor(/\r+\n42\r+\n/, { from: at })).end;
  session.type('exit 4\r');
  await session.waitFor(/exit=4\r+\n/, { from: at });
  t.is(await session.exited, 0);
});

clientTest('ctr task exec -t: a terminal for a process in a running task', async (t) => {
  const id = nextId();
  runDetached(t, id, 'while :; do sleep 0.1; done');
  // ctr sets the exec's window size only after it started, so the size is not checked here
  const exec = ctrCommand(['task', 'exec', '--tty', '--fifo-dir', fifoDir, '--exec-id', 'shell', id, 'sh', '-c', 'tty; read line; echo "got $line"; exit 2']);
  const session = new TerminalSession(`${exec}; echo "exit=$?"`, { cols: 90, rows: 25 });
  t.teardown(() => session.kill());
  let at = (await session.waitFor(/\/dev\/pts\/\d+\r+\n/, { timeout: 30_000 })).end;
  session.type('hello\r');
  at = (await session.waitFor(/got hello\r+\n/, { from: at })).end;
  await session.waitFor(/exit=2\r+\n/, { from: at });
  t.is(await session.exited, 0);
});
