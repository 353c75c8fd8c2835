/**
 * A config.json written by an attacker: every value that crosses from the orchestrator to the
 * helper or the kernel is checked in the form that is used. Keep these tests forever.
 */
import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchInit } from '../../orchestrator/src/bootstrap/launch-init.js';
import type { InitConfig } from '../../orchestrator/src/bootstrap/init-config.js';
import { SYNC } from '../../orchestrator/src/protocol/protocol.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';
import { makeBundle } from '../support/bundle.js';
import { orch } from '../support/orch-cli.js';
import { nextId, runScript, stateRoot } from './helpers/containers.js';

/** The CLI's error line with logfmt's quoting undone: `msg="… \\"x\\" …"`. */
const said = (run: { stderr: string }): string => run.stderr.replace(/\\"/g, '"');

/** A host sysctl no container may touch, restored whatever happens. */
async function withHostSysctl(path: string, body: (original: string, attackValue: string) => void | Promise<void>): Promise<void> {
  const file = `/proc/sys/${path}`;
  const original = readFileSync(file, 'utf8').trim();
  const attackValue = String(Number(original) - 1);
  try {
    await body(original, attackValue);
  } finally {
    if (readFileSync(file, 'utf8').trim() !== original) writeFileSync(file, original);
  }
}

const disguisedKeys = [
  'net.//.vm.swappiness',
  'net/../vm/swappiness',
  'net.ipv4.conf/../../../vm.swappiness',
  'kernel.shm_rmid_forced/../../vm/swappiness',
  'fs.mqueue/../../vm/swappiness',
  'net/./../vm/swappiness',
  'net/ipv4/../../vm/swappiness',
  'net/ipv4/conf/lo/../../../../vm/swappiness',
  'net.ipv4.conf.lo.//.//.//.//.vm.swappiness',
  '/net/../vm/swappiness',
  'net//../vm/swappiness',
  'net.\\..\\vm.swappiness',
  'user/../vm/swappiness',
  'kernel/hostname/../../vm/swappiness',
  'net/ipv4/ip_forward/../../../vm/swappiness',
  'vm.swappiness',
  'vm/swappiness',
];

test('disguised sysctl keys are refused and the host value does not move', async (t) => {
  await withHostSysctl('vm/swappiness', (original, value) => {
    for (const key of disguisedKeys) {
      const run = runScript('true', (spec) => {
        spec.linux!.sysctl = { [key]: value };
      });
      t.is(run.status, 1, `${key}: ${run.stdout}`);
      t.true(said(run).includes('linux.sysctl['), `${key}: ${run.stderr}`);
      t.regex(said(run), /is not a valid sysctl name|is not in a separate kernel namespace/, key);
      t.is(readFileSync('/proc/sys/vm/swappiness', 'utf8').trim(), original, key);
    }
  });
});

test('the canonical form of a key is what the container gets written', (t) => {
  const run = runScript('cat /proc/sys/net/ipv4/conf/lo/forwarding /proc/sys/net/ipv4/ip_forward', (spec) => {
    spec.linux!.sysctl = { 'net.ipv4.conf.lo.forwarding': '1', 'net/ipv4/ip_forward': '1' };
  });
  t.is(run.status, 0, run.stderr);
  t.is(run.stdout, '1\n1\n');
  // two spellings of one file would make the order of the writes matter
  const twice = runScript('true', (spec) => {
    spec.linux!.sysctl = { 'net.ipv4.ip_forward': '1', 'net/ipv4/ip_forward': '0' };
  });
  t.is(twice.status, 1);
  t.regex(said(twice), /linux\.sysctl\["net\/ipv4\/ip_forward"\]: names the same sysctl as "net\.ipv4\.ip_forward"/);
});

/** The helper started by hand with an init config the orchestrator would never send. */
async function helperAlone(edit: (spec: Spec) => void): Promise<string> {
  const bundle = makeBundle(['true'], edit);
  const fifoDir = mkdtempSync(join(tmpdir(), 'orch-fifo-'));
  const config: InitConfig = {
    type: 'standard',
    id: nextId('raw'),
    bundle: bundle.dir,
    rootfs: bundle.rootfs,
    fifoPath: join(fifoDir, 'exec.fifo'),
    foreground: false,
    noPivot: false,
    noNewKeyring: true,
    preserveFds: 0,
    spec: bundle.spec,
  };
  const init = await launchInit({ config, rootlessEuid: false, stdio: ['ignore', 'ignore', 'ignore'], beforeBootstrap: () => undefined });
  try {
    await init.channel.expect(SYNC.procReady, 'it set up the container');
    init.channel.send(SYNC.procRun);
    await init.channel.expectEnd('the init to block on the exec fifo');
    return 'created';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    try {
      process.kill(init.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    init.channel.close();
  }
}

test('the helper alone refuses a key that is not canonical, not namespaced, or of a namespace the container shares', async (t) => {
  await withHostSysctl('vm/swappiness', async (original, value) => {
    for (const key of ['net/../vm/swappiness', 'net.//.vm.swappiness', 'vm/swappiness', 'net/ipv4/conf/lo/../../../../vm/swappiness']) {
      const message = await helperAlone((spec) => (spec.linux!.sysctl = { [key]: value }));
      t.regex(message, /not a canonical sysctl path|not in a separate kernel namespace/, key);
      t.true(message.includes(`sysctl ${key}`), message);
      t.is(readFileSync('/proc/sys/vm/swappiness', 'utf8').trim(), original, key);
    }
  });
  // A namespaced key, but the container has no network namespace of its own.
  await withHostSysctl('net/core/somaxconn', async (original, value) => {
    const message = await helperAlone((spec) => {
      spec.linux!.namespaces = spec.linux!.namespaces!.filter((ns) => ns.type !== 'network');
      spec.linux!.sysctl = { 'net/core/somaxconn': value };
    });
    t.regex(message, /sysctl net\/core\/somaxconn: the container shares the host's network namespace/);
    t.is(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim(), original);
  });
});

const NUL = 'safe\u0000; rm -rf /';
const nulFields: Array<{ field: RegExp; edit: (spec: Spec) => void }> = [
  { field: /process\.args\[1\]/, edit: (s) => (s.process!.args = ['echo', NUL]) },
  { field: /process\.env\[\d+\]/, edit: (s) => s.process!.env!.push(`X=${NUL}`) },
  { field: /process\.cwd/, edit: (s) => (s.process!.cwd = `/${NUL}`) },
  { field: /hooks\.prestart\[0\]\.args\[1\]/, edit: (s) => (s.hooks = { prestart: [{ path: '/bin/true', args: ['true', NUL] }] }) },
  { field: /hooks\.createContainer\[0\]\.env\[0\]/, edit: (s) => (s.hooks = { createContainer: [{ path: '/bin/true', env: [`A=${NUL}`] }] }) },
  { field: /hooks\.poststart\[0\]\.path/, edit: (s) => (s.hooks = { poststart: [{ path: `/bin/true${NUL}` }] }) },
  { field: /mounts\[0\]\.source/, edit: (s) => (s.mounts![0]!.source = `proc${NUL}`) },
  { field: /mounts\[1\]\.destination/, edit: (s) => (s.mounts![1]!.destination = `/dev${NUL}/x`) },
  { field: /mounts\[1\]\.options\[0\]/, edit: (s) => (s.mounts![1]!.options = [`mode=755${NUL}`]) },
  { field: /linux\.sysctl\["net\.ipv4\.ip_forward"\]/, edit: (s) => (s.linux!.sysctl = { 'net.ipv4.ip_forward': `1${NUL}` }) },
  { field: /linux\.sysctl\[.*\\u0000.*\]: the key/, edit: (s) => (s.linux!.sysctl = { [`net.ipv4.ip_forward${NUL}`]: '1' }) },
  { field: /annotations\["org\.example\.key"\]/, edit: (s) => (s.annotations = { 'org.example.key': NUL }) },
  { field: /annotations\[.*\\u0000.*\]: the key/, edit: (s) => (s.annotations = { [`org.example${NUL}`]: 'v' }) },
  { field: /root\.path/, edit: (s) => (s.root!.path = `rootfs${NUL}`) },
  { field: /linux\.namespaces\[\d+\]\.path/, edit: (s) => s.linux!.namespaces!.find((ns) => ns.type === 'network')!.path = `/proc/self/ns/net${NUL}` },
  { field: /hostname/, edit: (s) => (s.hostname = `box${NUL}`) },
];

test('a NUL character anywhere in config.json is refused, naming the field', (t) => {
  for (const { field, edit } of nulFields) {
    const run = runScript('echo ran', edit);
    t.is(run.status, 1, `${field}: ${run.stdout}`);
    t.false(run.stdout.includes('ran'), String(field));
    t.regex(said(run), field);
    t.regex(said(run), /must not contain a NUL character/, String(field));
  }
});

test('a NUL character in an exec process is refused too', (t) => {
  const bundle = makeBundle(['sleep', '3600']);
  const id = nextId();
  t.is(orch(stateRoot, ['create', '--bundle', bundle.dir, id]).status, 0);
  try {
    const processFile = join(bundle.dir, 'process.json');
    writeFileSync(processFile, JSON.stringify({ cwd: '/', args: ['echo', NUL], user: { uid: 0, gid: 0 } }));
    const exec = orch(stateRoot, ['exec', '--process', processFile, id]);
    t.not(exec.status, 0);
    t.regex(said(exec), /process\.args\[1\]: must not contain a NUL character/);
  } finally {
    orch(stateRoot, ['delete', '--force', id]);
  }
});

test('hook timeouts: the largest one is honoured as long, a larger one is refused on both sides', async (t) => {
  const hookLog = mkdtempSync(join(tmpdir(), 'orch-hooklog-'));
  const script = join(hookLog, 'hook.sh');
  writeFileSync(script, `#!/bin/sh\nsleep 0.3\necho "$1" >> ${hookLog}/ran\n`, { mode: 0o755 });
  const longest = 2147483647;
  const run = runScript('true', (spec) => {
    spec.hooks = {
      createRuntime: [{ path: script, args: ['hook', 'createRuntime'], timeout: longest }],
      createContainer: [{ path: script, args: ['hook', 'createContainer'], timeout: longest }],
      poststart: [{ path: script, args: ['hook', 'poststart'], timeout: longest }],
    };
  });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(readFileSync(join(hookLog, 'ran'), 'utf8').trim().split('\n').sort(), ['createContainer', 'createRuntime', 'poststart']);

  for (const timeout of [longest + 1, 2 ** 53, 1e300]) {
    const refused = runScript('true', (spec) => {
      spec.hooks = { createContainer: [{ path: script, timeout }] };
    });
    t.is(refused.status, 1);
    t.regex(said(refused), /hooks\.createContainer\[0\]\.timeout: must be <= 2147483647/);
  }
  // The helper, fed what the schema refuses, refuses it too instead of wrapping it around.
  const message = await helperAlone((spec) => {
    spec.hooks = { createContainer: [{ path: script, timeout: 9223372036854775807 }] };
  });
  t.regex(message, /hooks\.createContainer\[0\]: timeout must be between 1 and 2147483647 seconds/);
});

test('a namespace path is one path whatever it holds; it must be a namespace of its kind', async (t) => {
  // A network namespace held by a sleeping process, reached through a path with a comma and a
  // "kind:" in it: once, ",mnt:/proc/1/ns/mnt" would have become a second join.
  const holder: ChildProcess = spawn('unshare', ['-n', 'sleep', '3600'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sleeper = spawnSync('pgrep', ['-P', String(holder.pid), 'sleep'], { encoding: 'utf8' }).stdout.trim() || String(holder.pid);
    const netns = readlinkSync(`/proc/${sleeper}/ns/net`);
    const dir = mkdtempSync(join(tmpdir(), 'orch-nspath-'));
    const weird = join(dir, 'ns,mnt:/proc/1/ns/mnt');
    mkdirSync(join(dir, 'ns,mnt:/proc/1/ns'), { recursive: true });
    symlinkSync(`/proc/${sleeper}/ns/net`, weird);
    const run = runScript('readlink /proc/self/ns/net; readlink /proc/self/ns/mnt', (spec) => {
      spec.linux!.namespaces!.find((ns) => ns.type === 'network')!.path = weird;
    });
    t.is(run.status, 0, run.stderr);
    const [net, mnt] = run.stdout.trim().split('\n');
    t.is(net, netns);
    t.not(mnt, readlinkSync('/proc/self/ns/mnt'));
  } finally {
    holder.kill('SIGKILL');
  }

  const notNs = runScript('true', (spec) => {
    spec.linux!.namespaces!.find((ns) => ns.type === 'network')!.path = '/etc/hostname';
  });
  t.is(notNs.status, 1);
  t.regex(said(notNs), /linux\.namespaces\[\d+\]\.path: "\/etc\/hostname": not a namespace file/);
  const wrongKind = runScript('true', (spec) => {
    spec.linux!.namespaces!.find((ns) => ns.type === 'ipc')!.path = '/proc/self/ns/net';
  });
  t.is(wrongKind.status, 1);
  t.regex(said(wrongKind), /linux\.namespaces\[\d+\]\.path: "\/proc\/self\/ns\/net" is a net namespace, not ipc/);
  const missing = runScript('true', (spec) => {
    spec.linux!.namespaces!.find((ns) => ns.type === 'uts')!.path = '/proc/self/ns/uts,net:/proc/1/ns/net';
  });
  t.is(missing.status, 1);
  t.regex(said(missing), /linux\.namespaces\[\d+\]\.path: .*ENOENT/);
});

test('CPU lists are parsed strictly and bounded by the CPUs this host has', (t) => {
  const refused = (list: string): string => {
    const run = runScript('true', (spec) => {
      spec.process!.execCPUAffinity = { initial: list };
    });
    t.is(run.status, 1, `${JSON.stringify(list.slice(0, 20))}: ${run.stdout}`);
    return said(run);
  };
  for (const list of ['-0', '0--0', '0- 7', '+7', ' 0', '0 ', '0,,1', '0,', ',0', '3-1', '0x1', '00', '0-1:1/2']) {
    // the runtime-spec's own schema refuses some by its pattern already
    t.regex(refused(list), /process\.execCPUAffinity\.initial: (must be a CPU list such as|must match)/, JSON.stringify(list));
  }
  t.regex(refused('99999'), /names CPU 99999, but this host has CPUs 0-\d+ only/);
  const cpusets = runScript('true', (spec) => {
    spec.linux!.resources = { cpu: { cpus: '0-4096' } };
  });
  t.is(cpusets.status, 1);
  t.regex(said(cpusets), /linux\.resources\.cpu\.cpus: names CPU 4096/);
});

test('a 16 MiB CPU list and a 100,000-entry env end promptly', async (t) => {
  const huge = '0-65535,'.repeat(2 * 1024 * 1024).slice(0, -1);
  const run = runScript('true', (spec) => {
    spec.process!.execCPUAffinity = { initial: huge };
  });
  t.is(run.status, 1);
  t.regex(said(run), /process\.execCPUAffinity\.initial: must be a CPU list such as "0-3,7": it is longer than 4095 bytes/);
  // The helper fed one directly (1 MiB: the whole init config must fit a sync message) refuses
  // it by its length too, before any work on its 131,072 ranges.
  const message = await helperAlone((spec) => {
    spec.process!.execCPUAffinity = { initial: huge.slice(0, 1024 * 1024 - 1) };
  });
  t.regex(message, /process\.execCPUAffinity\.initial: cpu list of more than 4095 bytes/);

  // 50,000 keys given twice each: the later value wins, in the later place (as runc).
  const env: string[] = ['PATH=/bin'];
  for (let i = 0; i < 50_000; i++) env.push(`K${i}=first`);
  for (let i = 0; i < 50_000; i++) env.push(`K${i}=second`);
  const many = runScript('env | grep -c "^K[0-9]*=second$"; env | grep -c "=first$"; echo "$K4242"', (spec) => {
    spec.process!.env = env;
  });
  t.is(many.status, 0, many.stderr);
  t.is(many.stdout, '50000\n0\nsecond\n');
});

test.after('no state is left by any refused config', (t) => {
  t.deepEqual(readdirSync(stateRoot).filter((id) => existsSync(join(stateRoot, id))), []);
});
