import test, { type ExecutionContext } from 'ava';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORCH_BIN, orch } from '../support/orch-cli.js';
import { TerminalSession, shellQuote } from '../terminal/pty-session.js';
import { eventually, podmanStore, preparePodmanStore, existingCgroups, missingFor, mountsUnder, removeCgroups, removeIfCreated, removeScratch, runClient } from './client-support.js';

// orch as podman's runtime: podman hands each container to conmon, which runs `orch create`
// (pid file, exec fifo, console socket), then podman calls start, exec, kill, pause, resume and
// delete itself (../shared/reference/clients.md). podman runs with a store of its own (storage,
// run dir, locks, events, network configs in a scratch dir), so the host's podman state is never
// touched; cgroupfs, as systemd does not run here.
const skipReason = missingFor(['podman', 'conmon']);
const clientTest = (title: string, fn: (t: ExecutionContext) => Promise<void> | void): void => {
  if (skipReason === undefined) test.serial(title, fn);
  else test.skip(`${title} [skipped: ${skipReason}]`, fn);
};

/** orch's default state root: podman 4.3 calls `delete` without a --runtime-flag given on its command line, so no --root of our own (runc uses /run/runc the same way). */
const ORCH_ROOT = '/run/orch';
const IMAGE = 'localhost/orch-busybox:clients';
// made only where the tests run: ava runs no after hook when every test is skipped
const scratch = skipReason === undefined ? mkdtempSync(join(tmpdir(), 'orch-podman-')) : '/nonexistent';
/** every container goes under this cgroup (conmon too: <parent>/conmon), removed at the end */
const cgroupParent = `orch-podman-test-${process.pid}`;
const store = podmanStore(scratch, ORCH_BIN, 'cgroupfs');
const env = store.env;
const globalFlags = store.flags;
// podman writes its blob-info cache here whatever its --root (containers/image's default for root)
const removeHostLeftovers = removeIfCreated(['/var/lib/containers']);
let serial = 0;
const nextName = (): string => `orch-pm-${process.pid}-${++serial}`;

function podman(args: string[], options: { input?: string } = {}): ReturnType<typeof runClient> {
  return runClient('podman', [...globalFlags, ...args], { env, ...options });
}

/** `podman inspect --format`, trimmed; fails the caller when podman does. */
function inspect(name: string, format: string): string {
  const result = podman(['inspect', '--format', format, name]);
  if (result.status !== 0) throw new Error(`podman inspect ${name}: ${result.stderr}`);
  return result.stdout.trim();
}

/** The STATUS column `podman ps` shows for the container. */
function psStatus(name: string): string {
  return podman(['ps', '--all', '--filter', `name=^${name}$`, '--format', '{{.Status}}']).stdout.trim();
}

/** What orch itself says about the container podman made (its id is podman's). */
function orchState(id: string): { status: string; pid: number } | undefined {
  const result = orch(ORCH_ROOT, ['state', id]);
  return result.status === 0 ? (JSON.parse(result.stdout) as { status: string; pid: number }) : undefined;
}

function runDetached(t: ExecutionContext, name: string, script: string): string {
  const result = podman(['run', '--detach', '--name', name, '--cgroup-parent', `/${cgroupParent}`, IMAGE, 'sh', '-c', script]);
  t.is(result.status, 0, `podman run -d: ${result.stderr}`);
  t.teardown(() => void podman(['rm', '--force', '--time', '0', name]));
  return result.stdout.trim();
}

test.before(() => {
  if (skipReason !== undefined) return;
  preparePodmanStore(scratch, store, IMAGE);
});

test.after.always(async () => {
  if (skipReason === undefined) {
    podman(['rm', '--all', '--force', '--time', '0']);
    podman(['rmi', '--all', '--force']);
    removeScratch(scratch);
  }
  await removeCgroups(cgroupParent);
  removeHostLeftovers();
});

clientTest('podman run: the output, the exit status and stdin pass through conmon and orch', (t) => {
  const result = podman(['run', '--rm', '--cgroup-parent', `/${cgroupParent}`, IMAGE, 'sh', '-c', 'echo "hello from pid $$ as $(id -un) in $PWD"; echo oops >&2; exit 7']);
  t.is(result.status, 7, result.stderr);
  t.is(result.stdout, 'hello from pid 1 as root in /\n');
  t.is(result.stderr, 'oops\n');

  const piped = podman(['run', '--rm', '--interactive', '--cgroup-parent', `/${cgroupParent}`, IMAGE, 'sh', '-c', 'read line; echo "got: $line"'], { input: 'a line\n' });
  t.is(piped.status, 0, piped.stderr);
  t.is(piped.stdout, 'got: a line\n');
  t.is(podman(['ps', '--all', '--quiet']).stdout, '', '--rm removed the containers');
});

clientTest('podman run -d, exec, stop and rm drive a long-running container', (t) => {
  const name = nextName();
  const id = runDetached(t, name, 'trap "echo got TERM; exit 0" TERM; echo started; while :; do sleep 0.1; done');
  t.is(inspect(name, '{{.State.Status}}'), 'running');
  t.regex(psStatus(name), /^Up /);
  // the container podman shows is the one orch runs
  const state = orchState(id);
  t.is(state?.status, 'running');
  t.is(state?.pid, Number(inspect(name, '{{.State.Pid}}')));

  const exec = podman(['exec', name, 'sh', '-c', 'echo "init: $(tr "\\0" " " < /proc/1/cmdline)"; exit 3']);
  t.is(exec.status, 3, exec.stderr);
  t.regex(exec.stdout, /^init: sh -c trap "echo got TERM; exit 0" TERM;/);
  const withOptions = podman(['exec', '--user', '1000:1000', '--env', 'GREETING=hi', '--workdir', '/tmp', name, 'sh', '-c', 'echo "$GREETING $(id -un) $PWD"']);
  t.is(withOptions.status, 0, withOptions.stderr);
  t.is(withOptions.stdout, 'hi user /tmp\n');

  // SIGTERM first: the trap exits 0 long before the 10 s podman would wait for it
  const stop = podman(['stop', '--time', '10', name]);
  t.is(stop.status, 0, stop.stderr);
  t.is(inspect(name, '{{.State.Status}} {{.State.ExitCode}}'), 'exited 0');
  t.regex(psStatus(name), /^Exited \(0\)/);
  t.is(podman(['logs', name]).stdout, 'started\ngot TERM\n');

  const rm = podman(['rm', name]);
  t.is(rm.status, 0, rm.stderr);
  t.is(psStatus(name), '');
  t.is(orchState(id), undefined, "orch's state of the container is gone");
});

clientTest('podman pause freezes the container until unpause; podman kill delivers signals', async (t) => {
  const name = nextName();
  const id = runDetached(t, name, 'trap "echo got USR1" USR1; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done');
  const ticks = (): number => podman(['logs', name]).stdout.split('\n').filter((l) => l.startsWith('tick')).length;
  await eventually('a first tick', () => (ticks() > 0 ? true : undefined));

  const pause = podman(['pause', name]);
  t.is(pause.status, 0, pause.stderr);
  t.is(inspect(name, '{{.State.Status}}'), 'paused');
  t.is(psStatus(name), 'Paused');
  t.is(orchState(id)?.status, 'paused');
  // a tick written just before the freeze may still be on its way to the log
  await sleep(300);
  const frozenAt = ticks();
  await sleep(800);
  t.is(ticks(), frozenAt, 'no tick while paused');

  const unpause = podman(['unpause', name]);
  t.is(unpause.status, 0, unpause.stderr);
  t.is(inspect(name, '{{.State.Status}}'), 'running');
  await eventually('ticks after unpause', () => (ticks() > frozenAt + 2 ? true : undefined));

  t.is(podman(['kill', '--signal', 'USR1', name]).status, 0);
  await eventually('the USR1 trap', () => (podman(['logs', name]).stdout.includes('got USR1') ? true : undefined));
  t.is(inspect(name, '{{.State.Status}}'), 'running', 'the trap kept it running');

  // podman kill sends SIGKILL by default
  t.is(podman(['kill', name]).status, 0);
  t.is(podman(['wait', name]).stdout.trim(), '137');
  t.is(inspect(name, '{{.State.Status}} {{.State.ExitCode}}'), 'exited 137');
});

/** A podman command line for a terminal script (TerminalSession runs `sh -c`). */
function podmanCommand(args: string[]): string {
  const vars = (['CONTAINERS_CONF', 'CONTAINERS_STORAGE_CONF', 'CONTAINERS_REGISTRIES_CONF'] as const).map((k) => `${k}=${shellQuote(env[k] ?? '')}`);
  return [...vars, 'podman', ...[...globalFlags, ...args].map(shellQuote)].join(' ');
}

clientTest("podman run -it: an interactive shell on a terminal of the user's size, resized with it", async (t) => {
  const run = podmanCommand(['run', '--rm', '--interactive', '--tty', '--cgroup-parent', `/${cgroupParent}`, '--env', 'PS1=ctr$ ', IMAGE, 'sh']);
  const session = new TerminalSession(`${run}; echo "exit=$?"`, { cols: 100, rows: 30 });
  t.teardown(() => session.kill());
  let at = (await session.waitFor('ctr$ ', { timeout: 30_000 })).end;
  session.type('tty; stty size\r');
  at = (await session.waitFor(/\/dev\/pts\/0\r\n30 100\r\n/, { from: at })).end;
  session.resize(120, 40);
  // conmon passes the new size on a while after SIGWINCH: ask until it shows
  await eventually('the new window size', () => {
    if (/40 120\r\n/.test(session.output.slice(at))) return true;
    session.type('stty size\r');
    return undefined;
  });
  session.type('echo $((6 * 7))\r');
  at = (await session.waitFor(/\r\n42\r\n/, { from: at })).end;
  session.type('exit 4\r');
  await session.waitFor(/exit=4\r\n/, { from: at });
  t.is(await session.exited, 0);
});

clientTest('podman exec -it: a terminal for a process in a running container', async (t) => {
  const name = nextName();
  runDetached(t, name, 'while :; do sleep 0.1; done');
  const exec = podmanCommand(['exec', '--interactive', '--tty', name, 'sh', '-c', 'tty; read line; echo "got $line"; exit 2']);
  const session = new TerminalSession(`${exec}; echo "exit=$?"`, { cols: 90, rows: 25 });
  t.teardown(() => session.kill());
  let at = (await session.waitFor(/\/dev\/pts\/\d+\r\n/, { timeout: 30_000 })).end;
  session.type('hello\r');
  at = (await session.waitFor(/got hello\r\n/, { from: at })).end;
  await session.waitFor(/exit=2\r\n/, { from: at });
  t.is(await session.exited, 0);
});

clientTest('after podman rm, nothing of the container is left: no orch state, no mounts, no cgroup', (t) => {
  const storage = join(scratch, 'storage');
  // What the same steps leave under runc is the baseline: podman keeps mounts of its own (its
  // overlay store, made on first use), which are not the runtime's to remove.
  const runc = ['/usr/sbin/runc', '/usr/bin/runc'].find((path) => existsSync(path));
  if (runc) {
    const underRunc = (args: string[]): ReturnType<typeof runClient> => runClient('podman', [...globalFlags, '--runtime', runc, ...args], { env });
    const baselineName = nextName();
    const ran = underRunc(['run', '--detach', '--name', baselineName, '--cgroup-parent', `/${cgroupParent}`, IMAGE, 'sleep', '3600']);
    t.is(ran.status, 0, `podman --runtime runc run -d: ${ran.stderr}`);
    t.is(underRunc(['rm', '--force', '--time', '0', baselineName]).status, 0);
  } else {
    t.log('no runc here: the baseline is what was mounted before');
  }
  // the overlay driver's home (storage/overlay) is podman's own mount, made and dropped by whichever
  // podman process (rm, or the cleanup conmon runs) lets go of the store last: not the container's
  const containerMounts = (): string[] => mountsUnder(storage).filter((m) => m !== join(storage, 'overlay'));
  const mountsBefore = containerMounts();
  const name = nextName();
  const id = runDetached(t, name, 'sleep 3600');
  t.true(containerMounts().length > mountsBefore.length, 'the running container has its rootfs and /dev/shm mounted');
  t.not(existingCgroups(`${cgroupParent}/libpod-${id}`).length, 0);
  const rm = podman(['rm', '--force', '--time', '0', name]);
  t.is(rm.status, 0, rm.stderr);
  t.is(orchState(id), undefined);
  t.deepEqual(containerMounts(), mountsBefore);
  t.deepEqual(existingCgroups(`${cgroupParent}/libpod-${id}`), []);
});
