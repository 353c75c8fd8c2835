import { readFileSync } from 'node:fs';
import test from 'ava';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch, statusOf } from '../support/orch-cli.js';
import { TerminalSession, orchCommand, shellQuote } from './pty-session.js';

const root = makeRoot();

/** An interactive busybox shell with a prompt of its own, run by `orch run -t` at a terminal. */
function shellBundle() {
  return makeBundle(['sh'], (spec) => {
    spec.process!.env = [...(spec.process!.env ?? []), 'PS1=ctr$ '];
  });
}

/** The terminal's `stty -g` before orch starts and after it has returned, printed by the script. */
function runScript(bundleDir: string, id: string, extra = ''): string {
  return [
    'echo "before=$(stty -g)"',
    `${orchCommand(root)} run -t -b ${shellQuote(bundleDir)} ${extra} ${shellQuote(id)}`,
    'echo "exit=$?"',
    'echo "after=$(stty -g)"',
  ].join('; ');
}

test('an interactive shell: prompt, output, window size, ^C, exit status, terminal restored', async (t) => {
  const bundle = shellBundle();
  const session = new TerminalSession(runScript(bundle.dir, 'interactive'), { cols: 80, rows: 24 });
  t.teardown(() => session.kill());

  const before = (await session.waitFor(/before=(\S+)/)).match[1];
  let at = (await session.waitFor('ctr$ ')).end;
  // orch put the user's terminal in raw mode while the container runs
  t.not(session.settings(), before);

  session.type('echo $((6 * 7))\r');
  at = (await session.waitFor(/\r\n42\r\nctr\$ /, { from: at })).end;

  session.type('stty size\r');
  at = (await session.waitFor(/\r\n24 80\r\n/, { from: at })).end;
  session.resize(100, 40);
  session.type('stty size\r');
  at = (await session.waitFor(/\r\n40 100\r\n/, { from: at })).end;

  // ^C is a byte for the container's terminal, whose line discipline turns it into SIGINT for
  // the container's foreground job; orch and the shell survive it.
  session.type(`sh -c 'trap "echo got-INT; exit 5" INT; echo re""ady; while :; do sleep 1; done'\r`);
  at = (await session.waitFor(/\r\nready\r\n/, { from: at })).end;
  session.type('\x03');
  at = (await session.waitFor(/got-INT/, { from: at, timeout: 10_000 })).end;
  session.type('echo "status=$?"\r');
  at = (await session.waitFor(/status=5/, { from: at })).end;

  session.type('exit 3\r');
  await session.waitFor(/exit=3\r\n/, { from: at });
  const after = (await session.waitFor(/after=(\S+)/, { from: at })).match[1];
  t.is(after, before);
  t.is(await session.exited, 0);
  t.is(statusOf(root, 'interactive'), undefined, 'run deleted the container');
});

test('the terminal is given back when orch is SIGKILLed; the container sees a hangup', async (t) => {
  const bundle = shellBundle();
  const pidFile = `${bundle.dir}/init.pid`;
  // After orch is gone, wait for the container's init too: it exits on the hangup.
  const script = `${runScript(bundle.dir, 'killed', `--pid-file ${shellQuote(pidFile)}`)}`.replace(
    'echo "after=',
    `while kill -0 "$(cat ${shellQuote(pidFile)})" 2>/dev/null; do sleep 0.05; done; echo "after=`,
  );
  const session = new TerminalSession(script);
  t.teardown(() => {
    session.kill();
    orch(root, ['delete', '--force', 'killed']);
  });

  const before = (await session.waitFor(/before=(\S+)/)).match[1];
  await session.waitFor('ctr$ ');
  t.not(session.settings(), before);

  const orchPid = Number(readFileSync(`/proc/${session.pid}/task/${session.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  t.true(orchPid > 0);
  process.kill(orchPid, 'SIGKILL');

  await session.waitFor(/exit=137\r?\n/);
  const after = (await session.waitFor(/after=(\S+)/)).match[1];
  t.is(after, before);
  t.is(await session.exited, 0);
});

test('run -t without a terminal of its own: input is typed into the container, its status returns', (t) => {
  const bundle = makeBundle(['sh']);
  const result = orch(root, ['run', '-t', '-b', bundle.dir, 'piped'], { input: 'echo "in a $(tty)"; exit 7\n' });
  t.is(result.status, 7, result.stderr);
  t.regex(result.stdout, /in a \/dev\/pts\/\d+/);
});

test('process.terminal from config.json works like run -t', (t) => {
  const bundle = makeBundle(['sh', '-c', 'tty; [ /dev/console -ef "$(tty)" ] && echo console-is-the-pty; exit 4'], (spec) => {
    spec.process!.terminal = true;
  });
  const result = orch(root, ['run', '-b', bundle.dir, 'from-config']);
  t.is(result.status, 4, result.stderr);
  t.regex(result.stdout, /^\/dev\/pts\/\d+\r\nconsole-is-the-pty\r\n$/);
});

test('a run -t whose create fails leaves the terminal alone and prints its error as a line', async (t) => {
  const bundle = makeBundle(['no-such-command']);
  const session = new TerminalSession(runScript(bundle.dir, 'failing'));
  t.teardown(() => session.kill());
  const before = (await session.waitFor(/before=(\S+)/)).match[1];
  const { end } = await session.waitFor(/orch run failed: [^\r\n]*no-such-command[^\r\n]*\r\nexit=1\r\n/);
  t.is((await session.waitFor(/after=(\S+)/, { from: end })).match[1], before);
  t.is(await session.exited, 0);
  t.is(statusOf(root, 'failing'), undefined);
});

test('run -t in a user namespace: the container devpts pty, owned by the process user', (t) => {
  const bundle = makeBundle(['sh', '-c', 'tty; stat -c %u "$(tty)"; ls -1 /dev/pts'], (spec) => {
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 310000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 310000, size: 65536 }];
  });
  const result = orch(root, ['run', '-t', '-b', bundle.dir, 'userns-tty']);
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, '/dev/pts/0\r\n1000\r\n0\r\nptmx\r\n');
});
