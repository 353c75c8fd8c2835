import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec, rootlessSpec } from '../../orchestrator/src/config/default-spec.js';
import { loadConfig, parseConfig, validateConfig } from '../../orchestrator/src/config/load-config.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';
import { OrchError } from '../../orchestrator/src/errors/orch-error.js';
import { hostProbe } from '../../orchestrator/src/config/validate-semantics.js';

/** A bundle dir holding `text` (or the default spec edited by `edit`) as config.json. */
function bundleWith(content: string | ((spec: Spec) => void)): string {
  const dir = mkdtempSync(join(tmpdir(), 'orch-config-'));
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    const spec = defaultSpec();
    content(spec);
    text = JSON.stringify(spec, null, '\t');
  }
  writeFileSync(join(dir, 'config.json'), text);
  return dir;
}

/** The message of the OrchError('invalid-config') that loading the edited default spec throws. */
function failure(edit: (spec: Spec) => void): string {
  return invalidConfig(() => loadConfig(bundleWith(edit), { warn: () => {} })).message;
}

function invalidConfig(fn: () => unknown): OrchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OrchError && error.code === 'invalid-config') return error;
    throw error;
  }
  throw new Error('expected an invalid-config error');
}

/** JSON editing helper: sets a value the Spec type would not allow, as a hand-written config can. */
function set(target: object, key: string, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

const hasRunc = (() => {
  try {
    execFileSync('runc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function runcSpec(args: string[]): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'orch-runc-spec-'));
  execFileSync('runc', ['spec', ...args], { cwd: dir });
  const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { ociVersion: string };
  spec.ociVersion = '1.3.0';
  return spec;
}

test('the default spec passes schema and semantic checks', (t) => {
  t.notThrows(() => validateConfig(defaultSpec()));
  const dir = bundleWith((spec) => spec);
  t.deepEqual(loadConfig(dir), defaultSpec());
});

test('the rootless spec passes, with mappings for the given ids and no network namespace', (t) => {
  const spec = rootlessSpec({ uid: 1000, gid: 1001 });
  t.notThrows(() => validateConfig(spec));
  t.deepEqual(spec.linux?.uidMappings, [{ containerID: 0, hostID: 1000, size: 1 }]);
  t.deepEqual(spec.linux?.gidMappings, [{ containerID: 0, hostID: 1001, size: 1 }]);
  t.deepEqual(spec.linux?.namespaces?.map((ns) => ns.type), ['pid', 'ipc', 'uts', 'mount', 'user']);
  t.is(spec.linux?.resources, undefined);
});

(hasRunc ? test : test.skip)('defaultSpec() is `runc spec` with ociVersion 1.3.0, keys in the same order', (t) => {
  t.is(JSON.stringify(defaultSpec()), JSON.stringify(runcSpec([])));
});

(hasRunc ? test : test.skip)('rootlessSpec() is `runc spec --rootless` for the current user', (t) => {
  t.is(JSON.stringify(rootlessSpec()), JSON.stringify(runcSpec(['--rootless'])));
});

test('a missing config.json names the path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-config-'));
  const error = invalidConfig(() => loadConfig(dir));
  t.is(error.message, `open ${join(dir, 'config.json')}: no such file or directory`);
});

test('malformed JSON gives the parser error with line and column', (t) => {
  const error = invalidConfig(() => loadConfig(bundleWith('{\n  "ociVersion": "1.3.0",\n  "root": {"path": "rootfs"\n}')));
  t.regex(error.message, /^config\.json: invalid JSON: .+ \(line \d+ column \d+\)$/);
  t.notRegex(error.message, /\n/);
});

test('a wrong type at a nested path names the path', (t) => {
  t.is(
    failure((spec) => set(spec.process!, 'args', 'sh')),
    'config.json: process.args: must be array',
  );
  t.is(
    failure((spec) => set(spec.linux!.resources!.devices![0]!, 'allow', 'no')),
    'config.json: linux.resources.devices[0].allow: must be boolean',
  );
});

test('a missing required field is named with its parent', (t) => {
  t.is(
    failure((spec) => delete (spec.process as Record<string, unknown>)['cwd']),
    'config.json: process.cwd: is required',
  );
  t.is(failure((spec) => set(spec, 'root', undefined)), 'config.json: root: is required');
});

test('an unknown namespace type lists the allowed ones', (t) => {
  t.is(
    failure((spec) => set(spec.linux!.namespaces![2]!, 'type', 'foo')),
    'config.json: linux.namespaces[2].type: must be one of mount, pid, network, uts, ipc, user, cgroup, time (got "foo")',
  );
});

test('patterns and integer ranges', (t) => {
  t.is(
    failure((spec) => set(spec.process!.rlimits![0]!, 'type', 'NOFILE')),
    'config.json: process.rlimits[0].type: must match ^RLIMIT_[A-Z]+$ (got "NOFILE")',
  );
  t.is(failure((spec) => set(spec.process!.user, 'uid', -1)), 'config.json: process.user.uid: must be >= 0 (got -1)');
  t.is(
    failure((spec) => set(spec.process!.user, 'uid', 2 ** 32)),
    'config.json: process.user.uid: must be <= 4294967295 (got 4294967296)',
  );
});

test('keys that are not identifiers are quoted', (t) => {
  t.is(
    failure((spec) => set(spec, 'annotations', { 'org.example/key': 1 })),
    'config.json: annotations["org.example/key"]: must be string',
  );
});

test('unknown properties are allowed, as runc allows them', (t) => {
  t.notThrows(() => loadConfig(bundleWith((spec) => set(spec, 'solaris', { anet: [] }))));
});

test('a duplicated namespace', (t) => {
  t.is(
    failure((spec) => spec.linux!.namespaces!.push({ type: 'pid' })),
    'config.json: linux.namespaces[5].type: duplicate "pid" namespace (also linux.namespaces[0])',
  );
});

test('a relative namespace path', (t) => {
  t.is(
    failure((spec) => (spec.linux!.namespaces![1]!.path = 'proc/1/ns/net')),
    'config.json: linux.namespaces[1].path: must be an absolute path (got "proc/1/ns/net")',
  );
});

test('a hostname or domainname without a uts namespace', (t) => {
  const noUts = (spec: Spec): void => {
    spec.linux!.namespaces = spec.linux!.namespaces!.filter((ns) => ns.type !== 'uts');
  };
  t.is(failure(noUts), 'config.json: hostname: requires a uts namespace in linux.namespaces');
  t.is(
    failure((spec) => {
      noUts(spec);
      delete spec.hostname;
      spec.domainname = 'example.org';
    }),
    'config.json: domainname: requires a uts namespace in linux.namespaces',
  );
});

test('sysctls need the namespace they belong to', (t) => {
  const without = (type: string) => (spec: Spec) => {
    spec.linux!.namespaces = spec.linux!.namespaces!.filter((ns) => ns.type !== type);
  };
  t.is(
    failure((spec) => {
      without('network')(spec);
      spec.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    }),
    'config.json: linux.sysctl["net.ipv4.ip_forward"]: not allowed in the host network namespace (requires a network namespace in linux.namespaces)',
  );
  t.is(
    failure((spec) => {
      without('ipc')(spec);
      spec.linux!.sysctl = { 'kernel/shmmax': '1' };
    }),
    'config.json: linux.sysctl["kernel/shmmax"]: requires an ipc namespace in linux.namespaces',
  );
  t.is(
    failure((spec) => (spec.linux!.sysctl = { 'vm.swappiness': '1' })),
    'config.json: linux.sysctl["vm.swappiness"]: is not in a separate kernel namespace',
  );
  t.notThrows(() =>
    loadConfig(
      bundleWith((spec) => {
        spec.linux!.sysctl = { 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '10', 'kernel.domainname': 'x' };
      }),
    ),
  );
});

test('id mappings need a user namespace, and a new user namespace needs mappings', (t) => {
  t.is(
    failure((spec) => (spec.linux!.uidMappings = [{ containerID: 0, hostID: 1000, size: 1 }])),
    'config.json: linux.uidMappings: requires a user namespace in linux.namespaces',
  );
  t.is(
    failure((spec) => spec.linux!.namespaces!.push({ type: 'user' })),
    'config.json: linux.uidMappings: must not be empty with a new user namespace',
  );
  t.notThrows(() =>
    loadConfig(bundleWith((spec) => spec.linux!.namespaces!.push({ type: 'user', path: '/proc/self/ns/user' }))),
  );
});

test('time offsets need a time namespace', (t) => {
  t.is(
    failure((spec) => (spec.linux!.timeOffsets = { monotonic: { secs: 10 } })),
    'config.json: linux.timeOffsets: requires a time namespace in linux.namespaces',
  );
});

test('process and its args are required to create, and cwd must be absolute', (t) => {
  t.is(failure((spec) => delete spec.process), 'config.json: process: is required to create a container');
  t.is(failure((spec) => (spec.process!.args = [])), 'config.json: process.args: must not be empty');
  t.is(failure((spec) => (spec.process!.cwd = 'home')), 'config.json: process.cwd: must be an absolute path (got "home")');
  const text = JSON.stringify({ ...defaultSpec(), process: undefined });
  t.notThrows(() => parseConfig(text, { requireProcess: false }));
});

test('a relative mount destination is taken as relative to / with a warning, as runc does', (t) => {
  const warnings: string[] = [];
  const spec = loadConfig(
    bundleWith((s) => s.mounts!.push({ destination: 'data', type: 'tmpfs', source: 'tmpfs' })),
    { warn: (message) => warnings.push(message) },
  );
  t.is(spec.mounts!.at(-1)!.destination, '/data');
  t.deepEqual(warnings, ['config.json: mounts[7].destination: "data" is not absolute (deprecated); using "/data"']);
});

test('rootfsPropagation takes the values runc maps', (t) => {
  t.notThrows(() => loadConfig(bundleWith((spec) => (spec.linux!.rootfsPropagation = 'rslave'))));
  t.regex(failure((spec) => set(spec.linux!, 'rootfsPropagation', 'slaves')), /^config\.json: linux\.rootfsPropagation: must be one of private, rprivate,/);
});

test('--no-pivot refuses a private rootfs propagation', (t) => {
  const dir = bundleWith((spec) => (spec.linux!.rootfsPropagation = 'rprivate'));
  t.notThrows(() => loadConfig(dir));
  t.is(
    invalidConfig(() => loadConfig(dir, { noPivot: true })).message,
    'config.json: linux.rootfsPropagation: rprivate is not safe without pivot_root (--no-pivot)',
  );
});

test('a cgroup namespace needs kernel support', (t) => {
  const host = { ...hostProbe, exists: (path: string) => path !== '/proc/self/ns/cgroup', identity: () => 'ENOENT' };
  const dir = bundleWith((spec) => spec.linux!.namespaces!.push({ type: 'cgroup' }));
  t.is(
    invalidConfig(() => loadConfig(dir, { host })).message,
    "config.json: linux.namespaces[5]: cgroup namespaces aren't enabled in the kernel",
  );
});

test('ociVersion must be a 1.x SemVer version', (t) => {
  const withVersion = (ociVersion: string): Spec => ({ ...defaultSpec(), ociVersion });
  t.notThrows(() => validateConfig(withVersion('1.0.2-dev')));
  t.notThrows(() => validateConfig(withVersion('1.3.0')));
  t.throws(() => validateConfig(withVersion('invalid')), { message: /^config\.json: ociVersion: must match .*\(got "invalid"\)$/ });
  t.throws(() => validateConfig(withVersion('2.0.0')), { message: /ociVersion/ });
});

test('an absent process.user is uid 0, gid 0, as runc takes it (the official schema lets it out)', (t) => {
  const spec = defaultSpec();
  delete (spec.process as Partial<NonNullable<Spec['process']>>).user;
  t.deepEqual(validateConfig(spec).process?.user, { uid: 0, gid: 0 });
});

test('a device fileMode may carry the file-type bits, as podman sends them', (t) => {
  const spec = defaultSpec();
  spec.linux!.devices = [{ path: '/dev/fuse', type: 'c', major: 10, minor: 229, fileMode: 8630 }];
  t.notThrows(() => validateConfig(spec));
});
