import test from 'ava';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hook, HookName, Spec } from '../../orchestrator/src/config/spec-types.js';
import { makeBundle, type Bundle } from '../support/bundle.js';
import { makeRoot, orch, statusOf, waitForStatus } from '../support/orch-cli.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `hooks-${process.pid}-${++serial}`;

/**
 * A hook that records what it saw, one tab-separated line per run: its name, the state on stdin,
 * its mount and pid namespaces, its cwd, $HOOK_ENV and its uid. It exits with $3 (default 0) and
 * says "hook out"/"hook err" on stdout/stderr first.
 */
const RECORDER = `#!/bin/sh
name=$1 out=$2
state=$(cat)
echo hook out; echo hook err >&2
printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$name" "$state" "$(readlink /proc/self/ns/mnt)" "$(readlink /proc/self/ns/pid)" "$(pwd)" "$HOOK_ENV" "$(id -u)" >> "$out"
[ -n "$4" ] && sleep "$4"
exit \${3:-0}
`;

interface Seen {
  name: string;
  state: { ociVersion: string; id: string; status: string; pid?: number; bundle: string; annotations?: Record<string, string> };
  mntns: string;
  pidns: string;
  cwd: string;
  env: string;
  uid: string;
}

interface HookedBundle extends Bundle {
  /** what the hooks of the runtime namespace (and createContainer) recorded, in order */
  seen(): Seen[];
  /** what the startContainer hooks recorded (they write inside the container) */
  seenInside(): Seen[];
}

/** A bundle whose hooks record into files; `failing` hooks exit 3, `slow` ones sleep 5 s with a 1 s timeout. */
function hookedBundle(args: string[], options: { names?: HookName[]; failing?: HookName[]; slow?: HookName[] } = {}): HookedBundle {
  const dir = mkdtempSync(join(tmpdir(), 'orch-hooks-'));
  const recorder = join(dir, 'record.sh');
  const out = join(dir, 'seen.tsv');
  writeFileSync(recorder, RECORDER);
  chmodSync(recorder, 0o755);
  const names = options.names ?? ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'];
  const bundle = makeBundle(args, (spec: Spec) => {
    spec.root!.readonly = false;
    spec.annotations = { 'org.example.hooks': 'yes' };
    const hooks: Partial<Record<HookName, Hook[]>> = {};
    for (const name of names) {
      // startContainer runs after pivot_root: its path and output file are the container's
      const inside = name === 'startContainer';
      const hook: Hook = {
        path: inside ? '/bin/record.sh' : recorder,
        args: ['record.sh', name, inside ? '/tmp/seen.tsv' : out, options.failing?.includes(name) ? '3' : '0', options.slow?.includes(name) ? '5' : ''],
        env: [`HOOK_ENV=${name}`],
      };
      if (options.slow?.includes(name)) hook.timeout = 1;
      hooks[name] = [hook];
    }
    spec.hooks = hooks;
  });
  writeFileSync(join(bundle.rootfs, 'bin/record.sh'), RECORDER);
  chmodSync(join(bundle.rootfs, 'bin/record.sh'), 0o755);
  const parse = (file: string): Seen[] =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [name, state, mntns, pidns, cwd, env, uid] = line.split('\t') as [string, string, string, string, string, string, string];
            return { name, state: JSON.parse(state) as Seen['state'], mntns, pidns, cwd, env, uid };
          })
      : [];
  return { ...bundle, seen: () => parse(out), seenInside: () => parse(join(bundle.rootfs, 'tmp/seen.tsv')) };
}

const hostMnt = readlinkSync('/proc/self/ns/mnt');
const hostPid = readlinkSync('/proc/self/ns/pid');

test.serial('every hook runs at its point of the lifecycle, in its namespace, with the state on stdin', async (t) => {
  const bundle = hookedBundle(['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']);
  const id = nextId();
  t.teardown(() => void orch(root, ['delete', '-f', id]));

  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  const { pid } = JSON.parse(orch(root, ['state', id]).stdout) as { pid: number };
  const afterCreate = bundle.seen();
  t.deepEqual(afterCreate.map((s) => s.name), ['prestart', 'createRuntime', 'createContainer']);
  const [prestart, createRuntime, createContainer] = afterCreate as [Seen, Seen, Seen];
  const containerMnt = readlinkSync(`/proc/${pid}/ns/mnt`);
  const containerPid = readlinkSync(`/proc/${pid}/ns/pid`);
  for (const runtimeHook of [prestart, createRuntime]) {
    t.deepEqual(runtimeHook.state, { ociVersion: runtimeHook.state.ociVersion, id, status: 'creating', pid, bundle: bundle.dir, annotations: { 'org.example.hooks': 'yes' } });
    t.is(runtimeHook.mntns, hostMnt);
    t.is(runtimeHook.pidns, hostPid);
    t.is(runtimeHook.cwd, bundle.dir);
    t.is(runtimeHook.env, runtimeHook.name);
  }
  // createContainer: in the container's namespaces, before pivot_root (the host's paths are still
  // there: its script and output file are the host's), from the rootfs; runc gives the init's own pid
  t.is(createContainer.mntns, containerMnt);
  t.is(createContainer.pidns, containerPid);
  t.is(createContainer.cwd, bundle.rootfs);
  t.is(createContainer.state.status, 'creating');
  t.is(createContainer.state.pid, 1);
  t.is(createContainer.env, 'createContainer');
  t.deepEqual(bundle.seenInside(), []);

  t.is(orch(root, ['start', id]).status, 0);
  const inside = bundle.seenInside();
  t.is(inside.length, 1);
  t.is(inside[0]?.name, 'startContainer');
  t.is(inside[0]?.state.status, 'created');
  t.is(inside[0]?.mntns, containerMnt);
  t.is(inside[0]?.pidns, containerPid);
  const afterStart = bundle.seen();
  t.deepEqual(afterStart.map((s) => s.name), ['prestart', 'createRuntime', 'createContainer', 'poststart']);
  t.is(afterStart[3]?.state.status, 'running');
  t.is(afterStart[3]?.state.pid, pid);
  t.is(afterStart[3]?.mntns, hostMnt);

  t.is(orch(root, ['kill', id, 'TERM']).status, 0);
  await waitForStatus(root, id, 'stopped');
  t.is(bundle.seen().length, 4, 'poststop waits for delete');
  t.is(orch(root, ['delete', id]).status, 0);
  const poststop = bundle.seen()[4];
  t.is(poststop?.name, 'poststop');
  t.deepEqual(poststop?.state, { ociVersion: poststop!.state.ociVersion, id, status: 'stopped', bundle: bundle.dir, annotations: { 'org.example.hooks': 'yes' } });
  t.is(poststop?.mntns, hostMnt);
});

test.serial('a foreground run goes through every hook, poststop once the container is gone', (t) => {
  const bundle = hookedBundle(['true']);
  const id = nextId();
  const result = orch(root, ['run', '-b', bundle.dir, id]);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(bundle.seen().map((s) => s.name), ['prestart', 'createRuntime', 'createContainer', 'poststart', 'poststop']);
  t.is(bundle.seenInside().length, 1);
  t.is(statusOf(root, id), undefined);
});

test.serial('a hook without env gets the environment of orch; startContainer without env gets the process env', (t) => {
  const bundle = hookedBundle(['true'], { names: ['prestart', 'startContainer'] });
  for (const name of ['prestart', 'startContainer'] as const) delete bundle.spec.hooks![name]![0]!.env;
  bundle.spec.process!.env = [...bundle.spec.process!.env!, 'HOOK_ENV=from-the-process'];
  bundle.save();
  const id = nextId();
  const result = orch(root, ['run', '-b', bundle.dir, id]);
  t.is(result.status, 0, result.stderr);
  t.is(bundle.seen()[0]?.env, '', 'orch runs without HOOK_ENV set');
  t.is(bundle.seenInside()[0]?.env, 'from-the-process');
});

for (const name of ['prestart', 'createRuntime', 'createContainer'] as const) {
  test.serial(`a failing ${name} hook fails create, leaves nothing behind and runs poststop`, (t) => {
    const bundle = hookedBundle(['true'], { failing: [name] });
    const id = nextId();
    const result = orch(root, ['create', '-b', bundle.dir, id]);
    t.is(result.status, 1);
    t.regex(result.stderr, new RegExp(`${name}: error running hook #0: exit status 3, stdout: hook out, stderr: hook err`));
    t.is(statusOf(root, id), undefined);
    t.false(existsSync(join(root, id)));
    const ran = bundle.seen().map((s) => s.name);
    t.is(ran.at(-1), 'poststop');
    t.false(ran.includes('poststart'));
  });
}

test.serial('a failing startContainer hook fails start with its error; the process never runs', async (t) => {
  const bundle = hookedBundle(['sh', '-c', 'touch /tmp/process-ran'], { failing: ['startContainer'] });
  const id = nextId();
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  const started = orch(root, ['start', id]);
  t.is(started.status, 1);
  t.regex(started.stderr, /startContainer: error running hook #0: exit status 3, stdout: hook out, stderr: hook err/);
  await waitForStatus(root, id, 'stopped');
  t.false(existsSync(join(bundle.rootfs, 'tmp/process-ran')));
  t.false(bundle.seen().some((s) => s.name === 'poststart'));
});

test.serial('a failing poststart hook fails start and kills the container (runc, runtime-spec 1.1+)', async (t) => {
  const bundle = hookedBundle(['sleep', '1000'], { failing: ['poststart'] });
  const id = nextId();
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  const started = orch(root, ['start', id]);
  t.is(started.status, 1);
  t.regex(started.stderr, /poststart: error running hook #0: exit status 3/);
  await waitForStatus(root, id, 'stopped');
});

test.serial('a failing poststop hook is a warning: delete succeeds', async (t) => {
  const bundle = hookedBundle(['true'], { failing: ['poststop'] });
  const id = nextId();
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  t.is(orch(root, ['start', id]).status, 0);
  await waitForStatus(root, id, 'stopped');
  const deleted = orch(root, ['delete', id]);
  t.is(deleted.status, 0);
  t.regex(deleted.stderr, /level=warning msg="poststop: error running hook #0: exit status 3/);
  t.is(statusOf(root, id), undefined);
});

test.serial('a hook past its timeout is killed and fails the step', (t) => {
  const bundle = hookedBundle(['true'], { names: ['createRuntime'], slow: ['createRuntime'] });
  const id = nextId();
  const started = Date.now();
  const result = orch(root, ['run', '-b', bundle.dir, id]);
  t.is(result.status, 1);
  t.regex(result.stderr, /createRuntime: error running hook #0: hook ran past specified timeout of 1\.0s/);
  t.true(Date.now() - started < 4500, 'the 5 s hook was cut short');
  t.is(statusOf(root, id), undefined);
});

test.serial('a startContainer hook past its timeout is killed inside the container', async (t) => {
  const bundle = hookedBundle(['true'], { names: ['startContainer'], slow: ['startContainer'] });
  const id = nextId();
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  const started = Date.now();
  const result = orch(root, ['start', id]);
  t.is(result.status, 1);
  t.regex(result.stderr, /startContainer: error running hook #0: hook ran past specified timeout of 1\.0s/);
  t.true(Date.now() - started < 4500);
});

test.serial('a hook whose binary is missing fails with the path named', (t) => {
  const bundle = hookedBundle(['true'], { names: ['prestart'] });
  bundle.spec.hooks!.prestart![0]!.path = '/no/such/hook';
  bundle.save();
  const result = orch(root, ['run', '-b', bundle.dir, nextId()]);
  t.is(result.status, 1);
  t.regex(result.stderr, /prestart: error running hook #0: fork\/exec \/no\/such\/hook: no such file or directory/);
});

test.serial('hooks of one kind run in the listed order and a failure stops the rest', (t) => {
  const bundle = hookedBundle(['true'], { names: ['createRuntime'] });
  const first = bundle.spec.hooks!.createRuntime![0]!;
  const second: Hook = { ...first, args: ['record.sh', 'second', first.args![2]!, '3'] };
  const third: Hook = { ...first, args: ['record.sh', 'third', first.args![2]!] };
  bundle.spec.hooks!.createRuntime = [first, second, third];
  bundle.save();
  const result = orch(root, ['run', '-b', bundle.dir, nextId()]);
  t.is(result.status, 1);
  t.regex(result.stderr, /createRuntime: error running hook #1: exit status 3/);
  t.deepEqual(bundle.seen().map((s) => s.name), ['createRuntime', 'second']);
});
