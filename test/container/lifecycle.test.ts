import test from 'ava';
import { existsSync, readFileSync, readdirSync, readlinkSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch, statusOf, waitForStatus } from '../support/orch-cli.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `life-${process.pid}-${++serial}`;

interface State {
  ociVersion: string;
  id: string;
  pid: number;
  status: string;
  bundle: string;
  rootfs: string;
  created: string;
  owner: string;
}
const stateOf = (id: string): State => JSON.parse(orch(root, ['state', id]).stdout) as State;

test('created -> running -> stopped -> deleted', async (t) => {
  // Runs until told to stop, so the running state lasts as long as the test needs it.
  const bundle = makeBundle(['sh', '-c', 'trap "exit 0" USR1; while true; do sleep 0.1; done']);
  const id = nextId();
  const pidFile = join(bundle.dir, 'init.pid');
  const created = orch(root, ['create', '--bundle', bundle.dir, '--pid-file', pidFile, id]);
  t.is(created.status, 0, created.stderr);

  const state = stateOf(id);
  t.is(state.status, 'created');
  t.is(state.id, id);
  t.is(state.bundle, bundle.dir);
  t.is(state.rootfs, bundle.rootfs);
  t.true(state.pid > 0);
  t.is(readFileSync(pidFile, 'utf8').trim(), String(state.pid));
  // The init is blocked on the exec fifo, not yet running the process.
  t.is(readFileSync(`/proc/${state.pid}/cmdline`, 'utf8').split('\0')[0], 'orch-init');

  t.is(orch(root, ['start', id]).status, 0);
  t.is(stateOf(id).status, 'running');
  const started = orch(root, ['start', id]);
  t.not(started.status, 0);
  t.regex(started.stderr, /cannot start an already running container/);

  t.is(orch(root, ['kill', id, 'USR1']).status, 0);
  await waitForStatus(root, id, 'stopped');
  t.is(stateOf(id).pid, 0);
  t.is(orch(root, ['delete', id]).status, 0);
  t.is(statusOf(root, id), undefined);
  t.false(existsSync(join(root, id)));
});

test('list shows containers as a table, as JSON and as ids', (t) => {
  const bundle = makeBundle(['sleep', '100']);
  const id = nextId();
  t.is(orch(root, ['create', '--bundle', bundle.dir, id]).status, 0);
  const table = orch(root, ['list']).stdout.split('\n');
  t.regex(table[0] ?? '', /^ID\s+PID\s+STATUS\s+BUNDLE\s+CREATED\s+OWNER/);
  t.true(table.some((line) => line.startsWith(id) && line.includes('created') && line.includes(bundle.dir)));
  const json = JSON.parse(orch(root, ['list', '--format', 'json']).stdout) as Array<{ id: string; status: string }>;
  t.true(json.some((c) => c.id === id && c.status === 'created'));
  t.true(orch(root, ['list', '-q']).stdout.split('\n').includes(id));
  t.is(orch(root, ['delete', id]).status, 0, 'a created container is deleted without --force');
});

test('kill sends a signal by name or number, and a stopped container cannot be killed', async (t) => {
  const bundle = makeBundle(['sh', '-c', 'trap "exit 0" USR1; while true; do sleep 0.1; done']);
  const id = nextId();
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  t.is(stateOf(id).status, 'running');
  t.is(orch(root, ['kill', id, 'SIGUSR1']).status, 0);
  await waitForStatus(root, id, 'stopped');
  const again = orch(root, ['kill', id, '9']);
  t.not(again.status, 0);
  t.regex(again.stderr, /container not running/);
  t.is(orch(root, ['delete', id]).status, 0);
});

test('delete refuses a running container unless forced', (t) => {
  const bundle = makeBundle(['sleep', '100']);
  const id = nextId();
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  const pid = stateOf(id).pid;
  const refused = orch(root, ['delete', id]);
  t.not(refused.status, 0);
  t.regex(refused.stderr, /is not stopped/);
  t.is(orch(root, ['delete', '--force', id]).status, 0);
  t.false(existsSync(`/proc/${pid}`), 'the init is gone and reaped');
  t.is(statusOf(root, id), undefined);
});

test('an unknown id and a duplicate id are clear errors', (t) => {
  const unknown = orch(root, ['state', 'no-such-container']);
  t.not(unknown.status, 0);
  t.regex(unknown.stderr, /container does not exist/);
  t.regex(orch(root, ['kill', 'no-such-container', 'KILL']).stderr, /does not exist/);
  t.regex(orch(root, ['delete', 'no-such-container']).stderr, /does not exist/);

  const bundle = makeBundle(['sleep', '100']);
  const id = nextId();
  t.is(orch(root, ['create', '--bundle', bundle.dir, id]).status, 0);
  const duplicate = orch(root, ['create', '--bundle', bundle.dir, id]);
  t.not(duplicate.status, 0);
  t.regex(duplicate.stderr, /exists/);
  t.is(stateOf(id).status, 'created', 'the first container is untouched');
  orch(root, ['delete', '--force', id]);
});

test('an invalid id is refused', (t) => {
  const bundle = makeBundle(['true']);
  const result = orch(root, ['create', '--bundle', bundle.dir, 'bad/id']);
  t.not(result.status, 0);
  t.regex(result.stderr, /invalid container ID format: bad\/id/);
});

/** Everything a create could leave on the host, for one container. */
function leftovers(id: string, bundleDir: string, cgroupsPath: string): string[] {
  const found: string[] = [];
  if (existsSync(join(root, id))) found.push(`state dir ${join(root, id)}`);
  for (const controller of readdirSync('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', controller, cgroupsPath);
    if (existsSync(dir)) found.push(`cgroup ${dir}`);
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (line.includes(bundleDir)) found.push(`mount ${line}`);
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/root`).startsWith(bundleDir)) found.push(`process ${entry}`);
    } catch {
      // exited, or a kernel thread
    }
  }
  return found;
}

test('a bad config is rejected naming the field, and leaves nothing behind', (t) => {
  const bundle = makeBundle(['true'], (spec) => {
    (spec.process as unknown as { args: unknown }).args = 'not-an-array';
  });
  const id = nextId();
  const result = orch(root, ['create', '--bundle', bundle.dir, id]);
  t.not(result.status, 0);
  t.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  t.regex(result.stderr, /process\.args/);
  t.deepEqual(leftovers(id, bundle.dir, `/orch-test/${id}`), []);
});

test('a create that fails inside the init leaves no state dir, cgroup, mount or process', (t) => {
  const cases: Array<[string, (spec: ReturnType<typeof makeBundle>['spec']) => void, RegExp]> = [
    ['missing program', (spec) => (spec.process!.args = ['/no/such/program']), /no\/such\/program/],
    ['bad mount', (spec) => spec.mounts!.push({ destination: '/mnt/x', type: 'no-such-fs', source: 'none' }), /\/mnt\/x/],
    [
      'bad namespace path',
      (spec) => (spec.linux!.namespaces = spec.linux!.namespaces!.map((ns) => (ns.type === 'network' ? { type: 'network', path: '/no/such/ns' } : ns))),
      /\/no\/such\/ns/,
    ],
    ['bad cwd', (spec) => (spec.process!.cwd = '/no/such/dir'), /no\/such\/dir/],
  ];
  for (const [name, edit, message] of cases) {
    const id = nextId();
    const cgroupsPath = `/orch-test/${id}`;
    const bundle = makeBundle(['true'], (spec) => {
      spec.linux!.cgroupsPath = cgroupsPath;
      edit(spec);
    });
    const result = orch(root, ['create', '--bundle', bundle.dir, id]);
    t.not(result.status, 0, name);
    t.regex(result.stderr, message, name);
    t.deepEqual(leftovers(id, bundle.dir, cgroupsPath), [], name);
  }
});

test('the cgroup exists and holds the container while it lives, and goes with delete', (t) => {
  const id = nextId();
  const cgroupsPath = `/orch-test/${id}`;
  const bundle = makeBundle(['sleep', '100'], (spec) => {
    spec.linux!.cgroupsPath = cgroupsPath;
  });
  t.is(orch(root, ['run', '-d', '--bundle', bundle.dir, id]).status, 0);
  const pid = stateOf(id).pid;
  const procs = readFileSync(join('/sys/fs/cgroup/memory', cgroupsPath, 'cgroup.procs'), 'utf8').trim().split('\n');
  t.true(procs.includes(String(pid)));
  t.is(orch(root, ['delete', '--force', id]).status, 0);
  t.deepEqual(leftovers(id, bundle.dir, cgroupsPath), []);
});

test.after.always('no test container is left', () => {
  for (const id of orch(root, ['list', '-q']).stdout.split('\n').filter(Boolean)) orch(root, ['delete', '--force', id]);
  // delete removes a container's own cgroup, never its parents (as runc): the shared /orch-test
  // parent of the cgroupsPath tests goes here, where it is empty
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    try {
      rmdirSync(join('/sys/fs/cgroup', hierarchy, 'orch-test'));
    } catch {
      // not there, not a hierarchy, or still in use by a concurrent run
    }
  }
});
