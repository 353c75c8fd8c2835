import test from 'ava';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch, orchAsync, waitForStatus } from '../support/orch-cli.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `run-${process.pid}-${++serial}`;

test('run prints the process output and exits with its status', (t) => {
  const bundle = makeBundle(['sh', '-c', 'echo hello from the container; exit 3']);
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.stdout, 'hello from the container\n');
  t.is(result.status, 3);
});

test('a container killed by a signal makes run exit with 128+N', async (t) => {
  const bundle = makeBundle(['sleep', '100']);
  const id = nextId();
  const running = orchAsync(root, ['run', '--bundle', bundle.dir, id]);
  await waitForStatus(root, id, 'running');
  t.is(orch(root, ['kill', id, 'KILL']).status, 0);
  const result = await running.done;
  t.is(result.status, 137, result.stderr);
});

test('signals sent to a foreground run reach the container', async (t) => {
  // A shell as pid 1 ignores SIGTERM unless it traps it, so the trap proves delivery.
  const bundle = makeBundle(['sh', '-c', 'trap "echo got TERM; exit 42" TERM; while true; do sleep 0.1; done']);
  const id = nextId();
  const running = orchAsync(root, ['run', '--bundle', bundle.dir, id]);
  await waitForStatus(root, id, 'running');
  process.kill(running.pid, 'SIGTERM');
  const result = await running.done;
  t.is(result.status, 42, result.stderr);
  t.is(result.stdout, 'got TERM\n');
});

test('every namespace of the default config is separate from the host', (t) => {
  const kinds = ['pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup'];
  const bundle = makeBundle(['sh', '-c', kinds.map((k) => `readlink /proc/self/ns/${k}`).join('; ')], (spec) => {
    spec.linux!.namespaces = [...spec.linux!.namespaces!.filter((ns) => ns.type !== 'cgroup'), { type: 'cgroup' }];
  });
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  const inside = result.stdout.trim().split('\n');
  kinds.forEach((kind, i) => {
    const host = readlinkSync(`/proc/self/ns/${kind}`);
    t.regex(inside[i] ?? '', new RegExp(`^${kind}:\\[\\d+\\]$`));
    t.not(inside[i], host, `${kind} namespace is the host's`);
  });
});

test('the process is pid 1 of its pid namespace and lo is up in its network namespace', (t) => {
  const bundle = makeBundle(['sh', '-c', 'echo $$; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags; ls /sys/class/net']);
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  const [pid, operstate, flags, ifaces] = result.stdout.trim().split('\n');
  t.is(pid, '1');
  t.not(operstate, 'down');
  t.true((Number(flags) & 1) === 1, `lo flags ${flags} lack IFF_UP`);
  t.is(ifaces, 'lo');
});

test('a user namespace maps ids and the container sees its own uid_map', (t) => {
  const bundle = makeBundle(['sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map; id -u; readlink /proc/self/ns/user'], (spec) => {
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
  });
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  t.is(lines[0], '0 200000 65536');
  t.is(lines[1], '0 200000 65536');
  t.is(lines[2], '0');
  t.not(lines[3], readlinkSync('/proc/self/ns/user'));
});

test('a time namespace applies its boottime offset', (t) => {
  const bundle = makeBundle(['cat', '/proc/uptime'], (spec) => {
    spec.linux!.namespaces!.push({ type: 'time' });
    spec.linux!.timeOffsets = { boottime: { secs: 1_000_000, nanosecs: 0 } };
  });
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.true(Number(result.stdout.split(' ')[0]) > 1_000_000, result.stdout);
});

test('joining a namespace by path shares it with its owner', async (t) => {
  const owner = makeBundle(['sleep', '100']);
  const ownerId = nextId();
  t.is(orch(root, ['run', '-d', '--bundle', owner.dir, ownerId]).status, 0);
  const ownerPid = JSON.parse(orch(root, ['state', ownerId]).stdout).pid as number;
  const joiner = makeBundle(['sh', '-c', 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts'], (spec) => {
    spec.linux!.namespaces = spec.linux!.namespaces!.map((ns) =>
      ns.type === 'network' || ns.type === 'uts' ? { type: ns.type, path: `/proc/${ownerPid}/ns/${ns.type === 'network' ? 'net' : 'uts'}` } : ns,
    );
    delete spec.hostname;
  });
  const result = orch(root, ['run', '--bundle', joiner.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), [readlinkSync(`/proc/${ownerPid}/ns/net`), readlinkSync(`/proc/${ownerPid}/ns/uts`)]);
  orch(root, ['delete', '--force', ownerId]);
});

test('hostname, env, cwd and user come from config.json', (t) => {
  const bundle = makeBundle(['sh', '-c', 'hostname; echo "$GREETING"; pwd; id -u; id -g; id -G'], (spec) => {
    spec.hostname = 'box-name';
    spec.process!.env = ['PATH=/bin', 'GREETING=hi there'];
    spec.process!.cwd = '/tmp';
    spec.process!.user = { uid: 1000, gid: 1000, additionalGids: [5, 65534] };
  });
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), ['box-name', 'hi there', '/tmp', '1000', '1000', '1000 5 65534']);
});

test('args are resolved on the container PATH, and a missing program is a clear error', (t) => {
  const ok = makeBundle(['true']);
  t.is(orch(root, ['run', '--bundle', ok.dir, nextId()]).status, 0);
  const missing = makeBundle(['no-such-program']);
  const result = orch(root, ['run', '--bundle', missing.dir, nextId()]);
  t.not(result.status, 0);
  t.regex(result.stderr, /no-such-program.*not found/);
});

test('a time namespace works inside a user namespace too', (t) => {
  const bundle = makeBundle(['cat', '/proc/uptime'], (spec) => {
    spec.linux!.namespaces!.push({ type: 'time' }, { type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    spec.linux!.timeOffsets = { boottime: { secs: 1_000_000, nanosecs: 0 } };
  });
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.true(Number(result.stdout.split(' ')[0]) > 1_000_000, result.stdout);
});

test('run --keep leaves the exited container stopped until delete removes it', (t) => {
  const bundle = makeBundle(['sh', '-c', 'exit 3']);
  const id = nextId();
  const run = orch(root, ['run', '--keep', '--bundle', bundle.dir, id]);
  t.is(run.status, 3, run.stderr);
  const state = orch(root, ['state', id]);
  t.is(state.status, 0, state.stderr);
  t.is((JSON.parse(state.stdout) as { status: string }).status, 'stopped');
  t.is(orch(root, ['run', '--bundle', bundle.dir, id]).status, 1, 'the id is still taken');
  t.is(orch(root, ['delete', id]).status, 0);
  t.is(orch(root, ['state', id]).status, 1);
});

test('run --no-subreaper: the container\'s orphans go to the caller\'s subreaper, not to orch', (t) => {
  // Without a pid namespace an orphan leaves the container's process tree: it is adopted by the
  // nearest subreaper, orch's stage-0 (the init's parent) unless --no-subreaper.
  const script = '(sleep 30 & echo $! > /tmp/orphan); sleep 0.3; o=$(cat /tmp/orphan); echo "$PPID $(awk \'/^PPid:/ { print $2 }\' /proc/$o/status)"; kill $o';
  const parents = (flags: string[]): string[] => {
    const bundle = makeBundle(['sh', '-c', script], (spec) => {
      spec.linux!.namespaces = spec.linux!.namespaces!.filter((ns) => ns.type !== 'pid');
      spec.root!.readonly = false;
    });
    const run = orch(root, ['run', ...flags, '--bundle', bundle.dir, nextId()]);
    t.is(run.status, 0, run.stderr);
    return run.stdout.trim().split(' ');
  };
  const [stage0, adopter] = parents([]);
  t.is(adopter, stage0, 'adopted by stage-0');
  const [stage0b, adopterB] = parents(['--no-subreaper']);
  t.not(adopterB, stage0b, 'adopted by the caller\'s subreaper');
});

test('--debug: the helper\'s progress reaches orch\'s log with runc\'s milestone words, never the container\'s stdio', (t) => {
  const bundle = makeBundle(['sleep', '3600']);
  const id = nextId();
  const logFile = join(bundle.dir, 'orch.log');
  const created = orch(root, ['--debug', '--log', logFile, '--log-format', 'json', 'run', '-d', '--bundle', bundle.dir, id]);
  t.is(created.status, 0, created.stderr);
  t.teardown(() => void orch(root, ['delete', '--force', id]));
  const exec = orch(root, ['--debug', '--log', logFile, '--log-format', 'json', 'exec', id, 'true']);
  t.is(exec.status, 0, exec.stderr);
  const entries = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string });
  const debug = entries.filter((e) => e.level === 'debug').map((e) => e.msg);
  for (const milestone of ['nsexec container setup', 'child process in init()', 'init: closing the pipe to signal completion', 'setns_init: about to exec']) {
    t.true(debug.includes(milestone), `${milestone} in ${JSON.stringify(debug)}`);
  }
  // the container's stdio (here orch's own, passed through) carries none of it
  t.false(created.stdout.includes('nsexec') || created.stderr.includes('nsexec'));
  // without --debug, none of it anywhere
  const quiet = orch(root, ['run', '--bundle', makeBundle(['true']).dir, nextId()]);
  t.is(quiet.status, 0, quiet.stderr);
  t.is(quiet.stdout + quiet.stderr, '');
});
