import test from 'ava';
import { closeSync, mkdtempSync, openSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `fs-${process.pid}-${++serial}`;

/** mountinfo lines as {mountPoint, fsType, options} for easy lookups. */
function mounts(text: string): Map<string, { fsType: string; options: string }> {
  const map = new Map<string, { fsType: string; options: string }>();
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fsType] = right.split(' ');
    map.set(fields[4] ?? '', { fsType: fsType ?? '', options: fields[5] ?? '' });
  }
  return map;
}

function runIn(args: string[], edit?: Parameters<typeof makeBundle>[1], extra: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const bundle = makeBundle(args, edit);
  return orch(root, ['run', ...extra, '--bundle', bundle.dir, nextId()]);
}

test('the default mounts are there: /proc, /dev tmpfs, devpts, shm, mqueue, read-only /sys', (t) => {
  const result = runIn(['cat', '/proc/self/mountinfo']);
  t.is(result.status, 0, result.stderr);
  const seen = mounts(result.stdout);
  t.is(seen.get('/proc')?.fsType, 'proc');
  t.is(seen.get('/dev')?.fsType, 'tmpfs');
  t.is(seen.get('/dev/pts')?.fsType, 'devpts');
  t.is(seen.get('/dev/shm')?.fsType, 'tmpfs');
  t.is(seen.get('/dev/mqueue')?.fsType, 'mqueue');
  t.is(seen.get('/sys')?.fsType, 'sysfs');
  t.regex(seen.get('/sys')?.options ?? '', /^ro/);
  // None of the host's own mount points is visible.
  const host = mounts(readFileSync('/proc/self/mountinfo', 'utf8'));
  for (const mountPoint of host.keys()) {
    if (['/', '/proc', '/sys', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue'].includes(mountPoint) || mountPoint.startsWith('/proc/') || mountPoint.startsWith('/sys/')) continue;
    t.false(seen.has(mountPoint), `host mount ${mountPoint} leaked into the container`);
  }
});

test('/dev has the default device nodes and symlinks', (t) => {
  const result = runIn(['sh', '-c', 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done; for l in fd stdin ptmx; do readlink /dev/$l; done']);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), [
    '/dev/null character special file 1:3 666',
    '/dev/zero character special file 1:5 666',
    '/dev/full character special file 1:7 666',
    '/dev/random character special file 1:8 666',
    '/dev/urandom character special file 1:9 666',
    '/dev/tty character special file 5:0 666',
    '/proc/self/fd',
    '/proc/self/fd/0',
    'pts/ptmx',
  ]);
});

test('bind mounts from config.json, read-only ones really read-only, and tmpfs with options', (t) => {
  const shared = mkdtempSync(join(tmpdir(), 'orch-share-'));
  writeFileSync(join(shared, 'hello.txt'), 'from the host\n');
  const result = runIn(
    ['sh', '-c', 'cat /mnt/ro/hello.txt; echo x > /mnt/ro/new 2>/dev/null && echo WROTE-RO; echo y > /mnt/rw/new && echo wrote-rw; stat -c "%a" /mnt/tmp; grep " /mnt/tmp " /proc/self/mountinfo'],
    (spec) => {
      spec.mounts!.push(
        { destination: '/mnt/ro', type: 'bind', source: shared, options: ['rbind', 'ro'] },
        { destination: '/mnt/rw', type: 'bind', source: shared, options: ['bind'] },
        { destination: '/mnt/tmp', type: 'tmpfs', source: 'tmpfs', options: ['size=1m', 'mode=700', 'nosuid'] },
      );
    },
  );
  t.is(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  t.is(lines[0], 'from the host');
  t.false(result.stdout.includes('WROTE-RO'));
  t.is(lines[1], 'wrote-rw');
  t.is(readFileSync(join(shared, 'new'), 'utf8'), 'y\n');
  t.is(lines[2], '700');
  t.regex(lines[3] ?? '', /nosuid.* - tmpfs tmpfs .*size=1024k/);
});

test('masked paths are hidden and read-only paths cannot be written', (t) => {
  // /proc/timer_list (a file) and /sys/firmware (a directory) are in the default maskedPaths;
  // /proc/sys is in readonlyPaths.
  const result = runIn(['sh', '-c', 'wc -c < /proc/timer_list; ls /sys/firmware | wc -l; echo x > /proc/sys/kernel/domainname 2>/dev/null && echo WROTE; true']);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n').map((l) => l.trim()), ['0', '0']);
});

test('root.readonly makes / read-only', (t) => {
  const result = runIn(['sh', '-c', 'touch /x 2>/dev/null && echo WROTE; touch /tmp/x 2>/dev/null && echo WROTE-TMP; true'], (spec) => {
    spec.root!.readonly = true;
  });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, '');
});

test('--no-pivot gives the same view of the rootfs', (t) => {
  const result = runIn(['sh', '-c', 'ls /; cat /proc/self/mountinfo | wc -l'], undefined, ['--no-pivot']);
  t.is(result.status, 0, result.stderr);
  t.true(result.stdout.split('\n').includes('bin'));
  t.false(result.stdout.split('\n').includes('rootfs'));
});

test('--preserve-fds passes extra fds into the container', (t) => {
  const bundle = makeBundle(['sh', '-c', 'cat <&3']);
  const input = join(bundle.dir, 'fd3.txt');
  writeFileSync(input, 'through fd 3\n');
  const fd = openSync(input, 'r');
  try {
    // The file is orch's fd 3, which it passes through at the same number.
    const result = orch(root, ['run', '--preserve-fds', '1', '--bundle', bundle.dir, nextId()], { extraFds: [fd] });
    t.is(result.status, 0, result.stderr);
    t.is(result.stdout, 'through fd 3\n');
  } finally {
    closeSync(fd);
  }
});
