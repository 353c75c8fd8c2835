import test from 'ava';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { hostDir, hostMount, mountAt, parseMountinfo, runScript, withUserns } from './helpers/container.js';

const bind = (destination: string, source: string, options: string[]) => ({ destination, type: 'bind', source, options });

test('bind destinations that do not exist are created as the source is: a file for a file, directories for a directory', (t) => {
  const dir = hostDir(t);
  writeFileSync(join(dir, 'file.txt'), 'a host file\n');
  mkdirSync(join(dir, 'tree'));
  writeFileSync(join(dir, 'tree/inner.txt'), 'inside the tree\n');
  const run = runScript('stat -c %F /etc/new.txt /a/b/c; cat /etc/new.txt /a/b/c/inner.txt', (b) => {
    b.spec.mounts!.push(bind('/etc/new.txt', join(dir, 'file.txt'), ['bind']), bind('/a/b/c', join(dir, 'tree'), ['rbind']));
  });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(run.stdout.trim().split('\n'), ['regular file', 'directory', 'a host file', 'inside the tree']);
});

test('a relative bind source is taken from the bundle directory', (t) => {
  const run = runScript('cat /mnt/from-bundle', (b) => {
    writeFileSync(join(b.dir, 'data.txt'), 'next to config.json\n');
    b.spec.mounts!.push(bind('/mnt/from-bundle', 'data.txt', ['bind']));
  });
  t.is(run.status, 0, run.stderr);
  t.is(run.stdout, 'next to config.json\n');
});

test('bind flags (ro, nosuid, nodev, noexec, noatime) are applied by a remount and hold', (t) => {
  const dir = hostDir(t);
  copyFileSync('/bin/busybox', join(dir, 'busybox'));
  chmodSync(join(dir, 'busybox'), 0o755);
  execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']);
  const run = runScript(
    [
      'grep " /mnt/locked " /proc/self/mountinfo',
      'touch /mnt/locked/new 2>/dev/null && echo WROTE',
      '/mnt/locked/busybox true 2>/dev/null && echo EXECUTED',
      'echo > /mnt/locked/null 2>/dev/null && echo OPENED-DEVICE',
      '/mnt/open/busybox echo exec-ok; echo > /mnt/open/null && echo device-ok; touch /mnt/open/new && echo write-ok',
    ].join('; '),
    (b) => {
      b.spec.mounts!.push(
        bind('/mnt/locked', dir, ['bind', 'ro', 'nosuid', 'nodev', 'noexec', 'noatime']),
        bind('/mnt/open', dir, ['rbind', 'rw', 'exec', 'dev']),
      );
    },
  );
  t.is(run.status, 0, run.stderr);
  const [line, ...rest] = run.stdout.trim().split('\n');
  const entry = parseMountinfo(line ?? '')[0];
  t.truthy(entry);
  for (const flag of ['ro', 'nosuid', 'nodev', 'noexec', 'noatime']) t.true(entry!.options.includes(flag), `${flag} in ${entry!.options.join(',')}`);
  t.deepEqual(rest, ['exec-ok', 'device-ok', 'write-ok']);
});

test('rbind brings submounts; "ro" makes only the top read-only (as runc), "rro" and the other r-options every mount', (t) => {
  const dir = hostDir(t);
  mkdirSync(join(dir, 'sub'));
  hostMount(['-t', 'tmpfs', 'orch-sub'], join(dir, 'sub'));
  const run = runScript(
    [
      'grep " /mnt/" /proc/self/mountinfo',
      'touch /mnt/ro/sub/x && echo ro-sub-writable',
      'touch /mnt/rro/sub/x 2>/dev/null && echo RRO-SUB-WRITABLE',
      'touch /mnt/rro/y 2>/dev/null && echo RRO-TOP-WRITABLE',
      'true',
    ].join('; '),
    (b) => {
      b.spec.mounts!.push(bind('/mnt/ro', dir, ['rbind', 'ro']), bind('/mnt/rro', dir, ['rbind', 'rro', 'rnosuid', 'rnodev', 'rnoexec', 'rnoatime']));
    },
  );
  t.is(run.status, 0, run.stderr);
  const entries = parseMountinfo(run.stdout);
  t.true(mountAt(entries, '/mnt/ro')!.options.includes('ro'));
  t.true(mountAt(entries, '/mnt/ro/sub')!.options.includes('rw'));
  for (const at of ['/mnt/rro', '/mnt/rro/sub']) {
    const options = mountAt(entries, at)!.options;
    for (const flag of ['ro', 'nosuid', 'nodev', 'noexec', 'noatime']) t.true(options.includes(flag), `${at}: ${flag} in ${options.join(',')}`);
  }
  t.true(run.stdout.includes('ro-sub-writable'));
  t.false(run.stdout.includes('RRO-'));
});

test('"rw", "suid", "exec" clear flags the source mount has', (t) => {
  const dir = hostDir(t);
  // Per-mount flags (a read-only superblock could not be made writable by any bind).
  hostMount(['--bind', dir], dir);
  execFileSync('mount', ['-o', 'remount,bind,ro,nosuid,noexec', dir]);
  const run = runScript('grep " /mnt/cleared " /proc/self/mountinfo; touch /mnt/cleared/x && echo wrote', (b) => {
    b.spec.mounts!.push(bind('/mnt/cleared', dir, ['bind', 'rw', 'suid', 'exec']));
  });
  t.is(run.status, 0, run.stderr);
  const entry = parseMountinfo(run.stdout)[0]!;
  t.true(entry.options.includes('rw'), entry.options.join(','));
  t.false(entry.options.includes('nosuid'));
  t.false(entry.options.includes('noexec'));
  t.true(run.stdout.includes('wrote'));
});

test('in a user namespace, flags the host locked are kept: "ro" on a nosuid source stays nosuid', (t) => {
  const dir = hostDir(t);
  hostMount(['-t', 'tmpfs', '-o', 'nosuid,nodev,mode=755', 'orch-locked'], dir);
  const run = runScript('grep " /mnt/kept " /proc/self/mountinfo; touch /mnt/kept/x 2>/dev/null && echo WROTE; true', (b) => {
    withUserns(b);
    // The rootfs belongs to the host's root, whom the user namespace does not map: no mkdir there.
    mkdirSync(join(b.rootfs, 'mnt/kept'), { recursive: true });
    b.spec.mounts!.push(bind('/mnt/kept', dir, ['bind', 'ro']));
  });
  t.is(run.status, 0, run.stderr);
  const entry = parseMountinfo(run.stdout)[0]!;
  for (const flag of ['ro', 'nosuid', 'nodev']) t.true(entry.options.includes(flag), `${flag} in ${entry.options.join(',')}`);
  t.false(run.stdout.includes('WROTE'));
});

test('in a user namespace, a bind cannot silently stay read-only (or nosuid): clearing a locked flag fails, naming the mount', (t) => {
  const dir = hostDir(t);
  hostMount(['--bind', dir], dir);
  execFileSync('mount', ['-o', 'remount,bind,ro', dir]);
  const run = runScript('true', (b) => {
    withUserns(b);
    mkdirSync(join(b.rootfs, 'mnt/wants-rw'), { recursive: true });
    b.spec.mounts!.push(bind('/mnt/wants-rw', dir, ['bind', 'rw']));
  });
  t.is(run.status, 1);
  t.regex(run.stderr, /mount 7 \(\/mnt\/wants-rw\): .*cannot clear locked flags ro: Operation not permitted/);
});

test('filesystem options on a bind are ignored, as the kernel does, with a warning', (t) => {
  const dir = hostDir(t);
  const run = runScript('grep " /mnt/data " /proc/self/mountinfo', (b) => {
    b.spec.mounts!.push(bind('/mnt/data', dir, ['rbind', 'size=1m', 'mode=700']));
  });
  t.is(run.status, 0, run.stderr);
  t.is(mountAt(parseMountinfo(run.stdout), '/mnt/data')?.root, dir);
  t.regex(run.stderr, /mounts\[7\]: size=1m,mode=700 ignored: a bind mount takes no filesystem options/);
});

test('a missing bind source fails with the mount index, destination and errno', (t) => {
  const run = runScript('true', (b) => {
    b.spec.mounts!.push(bind('/mnt/nothing', '/nonexistent/orch-source', ['bind']));
  });
  t.is(run.status, 1);
  t.regex(run.stderr, /mount 7 \(\/mnt\/nothing\): .*\/nonexistent\/orch-source: No such file or directory/);
});

test('per-mount propagation: shared, slave, private and unbindable show in the container\'s mountinfo', (t) => {
  const dir = hostDir(t);
  // A shared host mount, so that slave has a master to follow.
  hostMount(['--bind', dir], dir);
  execFileSync('mount', ['--make-shared', dir]);
  const run = runScript('grep " /mnt/p-" /proc/self/mountinfo', (b) => {
    b.spec.mounts!.push(
      bind('/mnt/p-shared', dir, ['bind', 'shared']),
      bind('/mnt/p-slave', dir, ['bind', 'slave']),
      bind('/mnt/p-private', dir, ['bind', 'private']),
      bind('/mnt/p-unbindable', dir, ['rbind', 'runbindable']),
    );
  });
  t.is(run.status, 0, run.stderr);
  const entries = parseMountinfo(run.stdout);
  t.true(mountAt(entries, '/mnt/p-shared')!.tags.some((tag) => tag.startsWith('shared:')), run.stdout);
  t.true(mountAt(entries, '/mnt/p-slave')!.tags.some((tag) => tag.startsWith('master:')), run.stdout);
  t.false(mountAt(entries, '/mnt/p-slave')!.tags.some((tag) => tag.startsWith('shared:')), run.stdout);
  t.deepEqual(mountAt(entries, '/mnt/p-private')!.tags, []);
  t.deepEqual(mountAt(entries, '/mnt/p-unbindable')!.tags, ['unbindable']);
});

test('in a user namespace, a bind whose source only the host\'s root can reach is opened on the host side', (t) => {
  // /private is 0700 root: the container's root (host uid 100000) could not look up what is in it
  const dir = hostDir(t);
  const privateDir = join(dir, 'private');
  mkdirSync(join(privateDir, 'data'), { recursive: true });
  chmodSync(privateDir, 0o700);
  writeFileSync(join(privateDir, 'data', 'file'), 'reached\n');
  chmodSync(join(privateDir, 'data', 'file'), 0o644);
  const run = runScript('cat /data/file; touch /data/x 2>/dev/null && echo WROTE; grep " /data " /proc/self/mountinfo | cut -d" " -f6', (b) => {
    withUserns(b);
    mkdirSync(join(b.rootfs, 'data')); // the rootfs is the host root's: its root cannot mkdir there
    b.spec.mounts!.push({ destination: '/data', type: 'bind', source: join(privateDir, 'data'), options: ['rbind', 'ro'] });
  });
  t.is(run.status, 0, run.stderr);
  const [content, options] = run.stdout.trim().split('\n');
  t.is(content, 'reached');
  t.false(run.stdout.includes('WROTE'));
  t.regex(options ?? '', /^ro[,$]?/);
  // nothing mounted or left on the host by the clone
  t.false(readFileSync('/proc/self/mountinfo', 'utf8').includes(`${privateDir}/data `));
});
