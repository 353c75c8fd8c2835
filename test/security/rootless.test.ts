/**
 * orch started by an unprivileged user (nobody), as `runc --rootless`: a user namespace maps the
 * caller, newuidmap/newgidmap map more, cgroups the user may not write are skipped. orch, its
 * bundle and the helper are copied where nobody can read them; /etc/subuid and /etc/subgid are
 * replaced by private copies in a private mount namespace, so the host's files stay untouched.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootlessSpec } from '../../orchestrator/src/config/default-spec.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';
import { makeBundle } from '../support/bundle.js';
import { ORCH_BIN } from '../support/orch-cli.js';
import { helperBinary, nextId } from './helpers/containers.js';

const NOBODY = 65534;
const SUBID_START = 300000;

const world = mkdtempSync(join(tmpdir(), 'orch-rootless-'));
chmodSync(world, 0o755);
cpSync(join(ORCH_BIN, '..'), join(world, 'dist'), { recursive: true });
copyFileSync(helperBinary, join(world, 'orch-init'));
chmodSync(join(world, 'orch-init'), 0o755);
const subid = join(world, 'subid');
writeFileSync(subid, `nobody:${SUBID_START}:65536\n`);
const root = join(world, 'root');
mkdirSync(root);
chownSync(root, NOBODY, NOBODY);

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `orch ARGS` as nobody, with orch's --root owned by nobody. Output goes through files: a
 * detached container inherits them, and a pipe would stay open until it exits.
 */
function orchAsNobody(args: string[]): Result {
  const script = [
    'mount --bind "$SUBID" /etc/subuid && mount --bind "$SUBID" /etc/subgid || exit 99',
    'exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all -- "$@"',
  ].join('\n');
  const out = mkdtempSync(join(tmpdir(), 'orch-rootless-out-'));
  const stdout = openSync(join(out, 'stdout'), 'w');
  const stderr = openSync(join(out, 'stderr'), 'w');
  try {
    const result = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', process.execPath, join(world, 'dist/orch.cjs'), '--root', root, ...args],
      {
        stdio: ['ignore', stdout, stderr],
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/tmp', ORCH_INIT_HELPER: join(world, 'orch-init'), SUBID: subid },
        timeout: 60_000,
      },
    );
    return { status: result.status, stdout: readFileSync(join(out, 'stdout'), 'utf8'), stderr: readFileSync(join(out, 'stderr'), 'utf8') };
  } finally {
    closeSync(stdout);
    closeSync(stderr);
    rmSync(out, { recursive: true, force: true });
  }
}

/** A bundle nobody can read, from `orch spec --rootless` for nobody, running `sh -c script`. */
function rootlessBundle(script: string, edit?: (spec: Spec) => void): string {
  const bundle = makeBundle(['sh', '-c', script]);
  const spec = rootlessSpec({ uid: NOBODY, gid: NOBODY });
  spec.process!.args = ['sh', '-c', script];
  spec.process!.terminal = false;
  edit?.(spec);
  writeFileSync(join(bundle.dir, 'config.json'), JSON.stringify(spec, null, 2));
  return bundle.dir;
}

test.before(() => {
  if (!existsSync('/etc/subuid') || !existsSync('/etc/subgid')) throw new Error('these tests bind-mount over /etc/subuid and /etc/subgid: install the passwd package');
});

test('an unprivileged user runs a container in its own user namespace, as root inside it', (t) => {
  const dir = rootlessBundle('id; cat /proc/self/uid_map /proc/self/gid_map; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status');
  const result = orchAsNobody(['run', '--bundle', dir, nextId('rootless')]);
  t.is(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  t.is(lines[0], 'uid=0(root) gid=0(root)');
  t.is(lines[1], `0 ${NOBODY} 1`);
  t.is(lines[2], `0 ${NOBODY} 1`);
  t.is(lines[3], 'CapEff: 0000000020000420');
  t.is(lines[4], 'NoNewPrivs: 1');
});

test('several mappings go through newuidmap and newgidmap, and supplementary groups work', (t) => {
  const dir = rootlessBundle('id; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups', (spec) => {
    const maps = [
      { containerID: 0, hostID: NOBODY, size: 1 },
      { containerID: 1, hostID: SUBID_START, size: 65536 },
    ];
    spec.linux!.uidMappings = maps;
    spec.linux!.gidMappings = maps;
    spec.process!.user = { uid: 1000, gid: 1000, additionalGids: [5] };
  });
  const result = orchAsNobody(['run', '--bundle', dir, nextId('rootless')]);
  t.is(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  t.deepEqual(lines, [
    'uid=1000(user) gid=1000(user) groups=5(tty)',
    `0 ${NOBODY} 1`,
    `1 ${SUBID_START} 65536`,
    `0 ${NOBODY} 1`,
    `1 ${SUBID_START} 65536`,
    'allow',
  ]);
});

test('a mapping outside the user subordinate ids is refused by newuidmap and fails create', (t) => {
  const dir = rootlessBundle('true', (spec) => {
    spec.linux!.uidMappings = [
      { containerID: 0, hostID: NOBODY, size: 1 },
      { containerID: 1, hostID: 1000, size: 1 },
    ];
  });
  const result = orchAsNobody(['run', '--bundle', dir, nextId('rootless')]);
  t.is(result.status, 1);
  t.regex(result.stderr, /newuidmap \d+: exit status 1/);
});

test('create, state, start and delete work for the unprivileged user without cgroup write access', (t) => {
  const dir = rootlessBundle('sleep 30');
  const id = nextId('rootless');
  const created = orchAsNobody(['create', '--bundle', dir, id]);
  t.is(created.status, 0, created.stderr);
  t.is((JSON.parse(orchAsNobody(['state', id]).stdout) as { status: string }).status, 'created');
  t.is(orchAsNobody(['start', id]).status, 0);
  t.is((JSON.parse(orchAsNobody(['state', id]).stdout) as { status: string }).status, 'running');
  const deleted = orchAsNobody(['delete', '--force', id]);
  t.is(deleted.status, 0, deleted.stderr);
  t.is(orchAsNobody(['state', id]).status, 1);
});

test("an unprivileged user with a config that has no user namespace gets runc's error before anything is made", (t) => {
  const dir = rootlessBundle('true', (spec) => {
    spec.linux!.namespaces = spec.linux!.namespaces!.filter((ns) => ns.type !== 'user');
    delete spec.linux!.uidMappings;
    delete spec.linux!.gidMappings;
  });
  const result = orchAsNobody(['run', '--bundle', dir, nextId('rootless')]);
  t.is(result.status, 1);
  t.regex(result.stderr, /rootless container requires user namespaces/);
});
