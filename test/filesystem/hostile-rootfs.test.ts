/**
 * A rootfs is untrusted input: its symlinks may point anywhere on the host, and something else
 * may change it while orch sets the container up. Nothing in it may make orch touch a host path.
 * Each case runs twice: with openat2(RESOLVE_IN_ROOT), and with openat2 hidden by a seccomp
 * filter, as on kernels before 5.6, where orch resolves paths itself.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { hostDir, mountAt, parseMountinfo, runBundle, runScript, tool, type RunOptions } from './helpers/container.js';
import { makeSentinel } from './helpers/sentinel.js';

const modes: Array<{ name: string; options: RunOptions }> = [
  { name: 'openat2', options: {} },
  { name: 'no openat2', options: { wrap: [tool('no-openat2')] } },
];

/** The rootfs path that mirrors a host path (what a symlink to it resolves to inside the root). */
const inside = (rootfs: string, hostPath: string): string => join(rootfs, hostPath);

for (const { name, options } of modes) {
  test(`[${name}] symlinks and ".." in mount destinations resolve inside the rootfs, never to the host path they name`, (t) => {
    const sentinel = makeSentinel(t);
    const source = hostDir(t);
    writeFileSync(join(source, 'marker'), 'the bind source\n');
    let rootfs = '';
    const run = runScript(
      `grep "${sentinel.dir}" /proc/self/mountinfo; cat ${sentinel.dir}/b/marker ${sentinel.file}`,
      (b) => {
        rootfs = b.rootfs;
        mkdirSync(join(b.rootfs, 'mnt'));
        symlinkSync(`${sentinel.dir}/a`, join(b.rootfs, 'mnt/abs'));
        symlinkSync(`../../../../../../../../..${sentinel.dir}/b`, join(b.rootfs, 'mnt/rel'));
        // The file the last symlink names exists in the rootfs too: the bind goes onto that one.
        symlinkSync(sentinel.file, join(b.rootfs, 'mnt/file'));
        mkdirSync(inside(b.rootfs, sentinel.dir), { recursive: true });
        writeFileSync(inside(b.rootfs, sentinel.file), 'the image\'s file\n');
        b.spec.mounts!.push(
          { destination: '/mnt/abs', type: 'tmpfs', source: 'tmpfs', options: ['mode=700'] },
          { destination: '/mnt/rel', type: 'bind', source, options: ['bind', 'ro'] },
          { destination: '/mnt/file', type: 'bind', source: join(source, 'marker'), options: ['bind'] },
          { destination: `/../../../../../..${sentinel.dir}/c`, type: 'tmpfs', source: 'tmpfs' },
        );
      },
      options,
    );
    t.is(run.status, 0, run.stderr);
    const entries = parseMountinfo(run.stdout);
    t.is(mountAt(entries, `${sentinel.dir}/a`)?.fsType, 'tmpfs');
    t.truthy(mountAt(entries, `${sentinel.dir}/b`));
    t.truthy(mountAt(entries, sentinel.file));
    t.is(mountAt(entries, `${sentinel.dir}/c`)?.fsType, 'tmpfs');
    t.true(run.stdout.endsWith('the bind source\nthe bind source\n'), run.stdout);
    t.deepEqual(sentinel.changes(), []);
    // What got created was created in the rootfs.
    t.is(readFileSync(inside(rootfs, sentinel.file), 'utf8'), 'the image\'s file\n');
  });

  test(`[${name}] device nodes, masked and read-only paths behind symlinks stay inside the rootfs`, (t) => {
    const sentinel = makeSentinel(t);
    const run = runScript(
      `stat -c %t:%T ${sentinel.dir}/node; cat /etc/leak; touch ${sentinel.dir}/x 2>/dev/null && echo WROTE; true`,
      (b) => {
        symlinkSync(sentinel.dir, join(b.rootfs, 'devices'));
        symlinkSync(sentinel.file, join(b.rootfs, 'etc/leak'));
        symlinkSync(sentinel.dir, join(b.rootfs, 'etc/leakdir'));
        mkdirSync(inside(b.rootfs, sentinel.dir), { recursive: true });
        writeFileSync(inside(b.rootfs, sentinel.file), 'masked\n');
        b.spec.linux!.devices = [{ path: '/devices/node', type: 'c', major: 1, minor: 3 }];
        b.spec.linux!.maskedPaths!.push('/etc/leak');
        b.spec.linux!.readonlyPaths!.push('/etc/leakdir');
      },
      options,
    );
    t.is(run.status, 0, run.stderr);
    t.is(run.stdout, '1:3\n');
    t.deepEqual(sentinel.changes(), []);
  });

  test(`[${name}] a bind into /proc through a symlink is refused (CVE-2019-19921)`, (t) => {
    const source = hostDir(t);
    writeFileSync(join(source, 'pattern'), '|/tmp/evil\n');
    const before = readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
    const run = runScript(
      'true',
      (b) => {
        mkdirSync(join(b.rootfs, 'mnt'));
        symlinkSync('/proc/sys/kernel', join(b.rootfs, 'mnt/kernel'));
        b.spec.mounts!.push({ destination: '/mnt/kernel/core_pattern', type: 'bind', source: join(source, 'pattern'), options: ['bind'] });
      },
      options,
    );
    t.is(run.status, 1);
    t.regex(run.stderr, /mount 7 \(\/mnt\/kernel\/core_pattern\): \/proc\/sys\/kernel\/core_pattern cannot be mounted because it is inside \/proc/);
    t.is(readFileSync('/proc/sys/kernel/core_pattern', 'utf8'), before);
  });

  test(`[${name}] a /dev/null that is a symlink is never used for masking (CVE-2025-31133)`, (t) => {
    const before = readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
    const run = runScript(
      'true',
      (b) => {
        // No /dev tmpfs: the image's /dev is used as it is, and its "null" names a procfs file.
        b.spec.mounts = b.spec.mounts!.filter((m) => !m.destination.startsWith('/dev'));
        symlinkSync('/proc/sys/kernel/core_pattern', join(b.rootfs, 'dev/null'));
      },
      options,
    );
    t.is(run.status, 1);
    t.regex(run.stderr, /\/dev\/null is not the 1:3 character device/);
    t.is(readFileSync('/proc/sys/kernel/core_pattern', 'utf8'), before);
  });
}

/** Starts exchange-race on dir/names (each swapped with a symlink to target) once it is ready. */
async function startSwapper(dir: string, target: string, names: string[]): Promise<() => Promise<number>> {
  const child = spawn(tool('exchange-race'), [dir, target, ...names], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.startsWith('ready\n')) resolve();
    });
    child.on('error', reject);
    child.on('exit', () => reject(new Error(`exchange-race exited early: ${out}`)));
  });
  return async () => {
    const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
    child.kill('SIGTERM');
    await done;
    return Number(out.split('\n')[1]);
  };
}

for (const { name, options } of modes) {
  // Serial: one attacker at a time, so that each has a core to spin on.
  test.serial(`[${name}] CVE-2021-30465: a destination swapped with a symlink to a host path while orch mounts never gets that host path mounted or changed`, async (t) => {
    // Shared: if orch ever mounted through the symlink, in a container whose root propagation is
    // shared, the mount would appear in the host's mount table under the sentinel.
    const sentinel = makeSentinel(t, { shared: true });
    const source = hostDir(t);
    writeFileSync(join(source, 'marker'), 'bind source\n');
    // One bundle, run again and again: the swappers work on its rootfs from the host side.
    const bundle = makeBundle(['true']);
    const mnt = join(bundle.rootfs, 'mnt');
    mkdirSync(join(mnt, 'tmpfs-target'), { recursive: true });
    mkdirSync(join(mnt, 'bind-target'));
    bundle.spec.linux!.rootfsPropagation = 'rshared';
    bundle.spec.mounts!.push(
      { destination: '/mnt/tmpfs-target', type: 'tmpfs', source: 'tmpfs', options: ['mode=700'] },
      { destination: '/mnt/bind-target/inner', type: 'bind', source, options: ['rbind', 'ro'] },
    );
    bundle.save();
    const first = runBundle(bundle, options);
    t.is(first.status, 0, first.stderr);
    const stop = await startSwapper(mnt, sentinel.dir, ['tmpfs-target', 'bind-target']);
    let succeeded = 0;
    const failures: string[] = [];
    try {
      const deadline = Date.now() + 10_000;
      for (let i = 0; i < 8 && Date.now() < deadline; i++) {
        const run = runBundle(bundle, options);
        if (run.status === 0) succeeded++;
        else failures.push(run.stderr.trim());
        t.deepEqual(sentinel.changes(), [], `after run ${i}`);
      }
    } finally {
      const swaps = await stop();
      t.true(swaps > 0, `swaps: ${swaps}`);
      t.log(`${swaps} swaps`);
    }
    // A run the race hit fails cleanly, naming the mount; it never succeeds with a host mount.
    for (const message of failures) t.regex(message, /mount (7|8) \(\/mnt\/(tmpfs|bind)-target/);
    // Where a resolution met the symlink, the directories it names were made inside the rootfs.
    const redirected = existsSync(join(bundle.rootfs, sentinel.dir));
    t.log(`${succeeded} runs succeeded, ${failures.length} failed cleanly; ${redirected ? 'some' : 'no'} mount went through the symlink (into the rootfs)`);
    t.deepEqual(sentinel.changes(), []);
  });
}
