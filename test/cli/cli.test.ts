import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../orchestrator/src/cli/cli.js';
import type { CliIo } from '../../orchestrator/src/cli/command.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'orch-cli-test-'));
test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

async function orch(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd: () => scratch };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

/** The msg of the one logrus text line on stderr. */
function errorLine(run: Run): string {
  const m = /^time="[^"]+" level=error msg=(.*)\n$/.exec(run.stderr);
  if (!m?.[1]) throw new Error(`not one error line: ${JSON.stringify(run.stderr)}`);
  return m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1];
}

const root = join(scratch, 'root');

test.serial('--version prints the lines clients parse', async (t) => {
  for (const flag of ['--version', '-v', '-version']) {
    const run = await orch(flag);
    t.is(run.status, 0);
    t.is(run.stdout, 'orch version 0.1.0\ncommit: unknown\nspec: 1.3.0\n');
  }
});

test.serial('no command, --help and help show the commands', async (t) => {
  for (const argv of [[], ['--help'], ['-h'], ['help'], ['h']]) {
    const run = await orch(...argv);
    t.is(run.status, 0);
    t.regex(run.stdout, /Commands:[\s\S]*create[\s\S]*Global options:[\s\S]*--root value/);
  }
  const create = await orch('help', 'create');
  t.regex(create.stdout, /Usage: orch create \[options\] <container-id>/);
  t.regex(create.stdout, /--bundle value, -b value/);
  t.is((await orch('create', '--help')).stdout, create.stdout);
});

test.serial('an unknown command exits 3, as runc', async (t) => {
  const run = await orch('frobnicate');
  t.is(run.status, 3);
  t.is(errorLine(run), 'unknown command "frobnicate"; see orch --help');
});

test.serial('flag errors name the flag', async (t) => {
  t.is(errorLine(await orch('--bogus', 'list')), 'flag provided but not defined: -bogus');
  t.is(errorLine(await orch('--root', root, 'state', '--bogus', 'x')), 'flag provided but not defined: -bogus');
  t.is(errorLine(await orch('--root')), 'flag needs an argument: -root');
  t.is(errorLine(await orch('--log-format', 'xml', 'list')), 'invalid log-format: xml');
  t.is(errorLine(await orch('--rootless', 'maybe', 'list')), 'invalid value "maybe" for flag -rootless: want true, false or auto');
  t.is((await orch('--rootless=auto', '--root', root, 'list')).status, 0);
  t.is((await orch('--criu', '/usr/sbin/criu', '--systemd-cgroup', '--root', root, 'list')).status, 0);
});

test.serial('argument counts, in runc\'s words', async (t) => {
  t.is(errorLine(await orch('--root', root, 'start')), 'orch: "start" requires exactly 1 argument(s)');
  t.is(errorLine(await orch('--root', root, 'state', 'a', 'b')), 'orch: "state" requires exactly 1 argument(s)');
  t.is(errorLine(await orch('--root', root, 'kill')), 'orch: "kill" requires a minimum of 1 argument(s)');
  t.is(errorLine(await orch('--root', root, 'kill', 'a', 'b', 'c')), 'orch: "kill" requires a maximum of 2 argument(s)');
  t.is(errorLine(await orch('--root', root, 'list', 'x')), 'orch: "list" requires exactly 0 argument(s)');
});

test.serial('ids are checked as runc checks them', async (t) => {
  t.is(errorLine(await orch('--root', root, 'state', 'a/b')), 'invalid container ID format: a/b');
  t.is(errorLine(await orch('--root', root, 'state', '..')), 'invalid container ID format: ..');
  t.is(errorLine(await orch('--root', root, 'state', '')), 'container id cannot be empty');
  t.is(errorLine(await orch('--root', root, 'state', 'a,b')), 'container does not exist');
});

test.serial('unknown containers', async (t) => {
  t.is(errorLine(await orch('--root', root, 'state', 'nope')), 'container does not exist');
  t.is(errorLine(await orch('--root', root, 'kill', 'nope', 'KILL')), 'container does not exist');
  t.is(errorLine(await orch('--root', root, 'delete', 'nope')), 'container does not exist');
  t.is(errorLine(await orch('--root', root, 'start', 'nope')), 'container does not exist');
  const forced = await orch('--root', root, 'delete', '--force', 'nope');
  t.is(forced.status, 0);
  t.is(forced.stderr, '');
});

test.serial('--log FILE --log-format json: the error goes to the file as JSON and, bare, to stderr', async (t) => {
  const log = join(scratch, 'log.json');
  const run = await orch('--root', root, '--log', log, '--log-format', 'json', 'state', 'nope');
  t.is(run.status, 1);
  t.is(run.stderr, 'container does not exist\n');
  const line = JSON.parse(readFileSync(log, 'utf8').trim()) as Record<string, string>;
  t.deepEqual(Object.keys(line), ['level', 'msg', 'time']);
  t.is(line['level'], 'error');
  t.is(line['msg'], 'container does not exist');
  // appended, never truncated
  await orch('--root', root, '--log', log, '--log-format', 'json', 'state', 'nope');
  t.is(readFileSync(log, 'utf8').trim().split('\n').length, 2);
});

test.serial('list on an empty root', async (t) => {
  t.is((await orch('--root', root, 'list')).stdout, 'ID          PID         STATUS      BUNDLE      CREATED     OWNER\n');
  t.is((await orch('--root', root, 'list', '--format', 'json')).stdout, 'null\n');
  t.is((await orch('--root', root, 'list', '-f=json')).stdout, 'null\n');
  t.is((await orch('--root', root, 'list', '-q')).stdout, '');
  t.is(errorLine(await orch('--root', root, 'list', '--format', 'yaml')), 'invalid format option');
  t.is((await orch('--root', root, 'list', '-q', '--format', 'yaml')).status, 0);
});

test.serial('every client invocation of a container command parses, then names the missing container', async (t) => {
  // The shapes containerd, conmon and CRI-O use (shared/reference/clients.md): a flag error here
  // would break a client before orch even looked for the container.
  const processJson = join(scratch, 'process.json');
  writeFileSync(processJson, JSON.stringify({ cwd: '/', args: ['true'], user: { uid: 0, gid: 0 } }));
  const resourcesJson = join(scratch, 'resources.json');
  writeFileSync(resourcesJson, '{}');
  const calls: string[][] = [
    ['exec', '--process', processJson, '--detach', '--pid-file', '/p', 'c1'],
    ['exec', '-t', 'c1', 'sh', '-c', 'echo --not-a-flag'],
    ['pause', 'c1'],
    ['resume', 'c1'],
    ['ps', '--format', 'json', 'c1'],
    ['events', '--stats', 'c1'],
    ['events', '--interval=5s', 'c1'],
    ['update', '--resources', resourcesJson, 'c1'],
    ['update', '-r', resourcesJson, '--memory', '1G', '--pids-limit', '10', 'c1'],
    ['checkpoint', '--file-locks', '--image-path', '/i', '--work-path', '/w', '--leave-running', 'c1'],
  ];
  for (const argv of calls) {
    const run = await orch('--root', root, ...argv);
    // runc's exec fails with 255, so a caller can tell its own failure from the process's status.
    t.is(run.status, argv[0] === 'exec' ? 255 : 1, argv.join(' '));
    t.regex(run.stderr, /^time="[^"]+" level=error msg="(exec failed: )?container does not exist"\n$/, `${argv.join(' ')}: ${run.stderr}`);
  }
  t.is((await orch('--root', root, 'features')).status, 0);
});

test.serial('create/run refuse bad flag values clearly', async (t) => {
  t.is(errorLine(await orch('--root', root, 'create', '--preserve-fds', 'x', 'c1')), 'invalid value "x" for flag -preserve-fds: parse error');
  t.is(errorLine(await orch('--root', root, 'create', '--preserve-fds', '-1', 'c1')), 'invalid value "-1" for flag -preserve-fds: must not be negative');
});

test.serial('spec writes config.json once', async (t) => {
  const bundle = join(scratch, 'spec-bundle');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(bundle);
  const run = await orch('spec', '--bundle', bundle);
  t.is(run.status, 0);
  const text = readFileSync(join(bundle, 'config.json'), 'utf8');
  t.true(text.startsWith('{\n\t"ociVersion": '));
  t.false(text.endsWith('\n'));
  t.is(errorLine(await orch('spec', '-b', bundle)), 'File config.json exists. Remove it first');
  const rootless = join(scratch, 'rootless-bundle');
  mkdirSync(rootless);
  t.is((await orch('spec', '--rootless', '-bundle', rootless)).status, 0);
  t.true(existsSync(join(rootless, 'config.json')));
});
