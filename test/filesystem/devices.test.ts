import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostDir, mountAt, parseMountinfo, runScript, withUserns } from './helpers/container.js';

const statLine = 'stat -c "%n %F %t:%T %a %u:%g"';

test('linux.devices makes c, u, b and p nodes with their numbers, fileMode, uid and gid', (t) => {
  const run = runScript(`${statLine} /dev/custom-c /dev/custom-u /dev/disks/custom-b /dev/custom-p`, (b) => {
    b.spec.linux!.devices = [
      { path: '/dev/custom-c', type: 'c', major: 1, minor: 7, fileMode: 0o640, uid: 1000, gid: 1001 },
      { path: '/dev/custom-u', type: 'u', major: 1, minor: 8, fileMode: 0o600 },
      // Parents are created.
      { path: '/dev/disks/custom-b', type: 'b', major: 7, minor: 0, fileMode: 0o660, gid: 6 },
      { path: '/dev/custom-p', type: 'p', fileMode: 0o620 },
    ];
  });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(run.stdout.trim().split('\n'), [
    '/dev/custom-c character special file 1:7 640 1000:1001',
    '/dev/custom-u character special file 1:8 600 0:0',
    '/dev/disks/custom-b block special file 7:0 660 0:6',
    '/dev/custom-p fifo 0:0 620 0:0',
  ]);
});

test('a fileMode with the file-type bits (podman run --device /dev/fuse sends 8630) makes the node with its permission bits; rules in any order of r, w, m are taken', (t) => {
  const run = runScript(`${statLine} /dev/fuse; head -c 0 /dev/fuse 2>&1 | grep -q "not permitted" && echo DENIED || echo opened`, (b) => {
    b.spec.linux!.devices = [{ path: '/dev/fuse', type: 'c', major: 10, minor: 229, fileMode: 8630, uid: 0, gid: 0 }];
    // as runc takes them: any order, letters given twice
    b.spec.linux!.resources!.devices!.push({ allow: true, type: 'c', major: 10, minor: 229, access: 'mwr' }, { allow: true, type: 'c', major: 10, minor: 229, access: 'rrw' });
  });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(run.stdout.trim().split('\n'), ['/dev/fuse character special file a:e5 666 0:0', 'opened']);
});

test('the default devices and /dev symlinks are there, and a linux.devices entry replaces a default one', (t) => {
  const run = runScript(`${statLine} /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; for l in fd stdin stdout stderr ptmx core; do readlink /dev/$l; done; true`, (b) => {
    b.spec.linux!.devices = [{ path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o600, uid: 0, gid: 0 }];
    // As with runc, the default cgroup rule goes with the default node: the spec allows its own.
    b.spec.linux!.resources!.devices!.push({ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' });
  });
  t.is(run.status, 0, run.stderr);
  const expected = [
    '/dev/null character special file 1:3 600 0:0',
    '/dev/zero character special file 1:5 666 0:0',
    '/dev/full character special file 1:7 666 0:0',
    '/dev/random character special file 1:8 666 0:0',
    '/dev/urandom character special file 1:9 666 0:0',
    '/dev/tty character special file 5:0 666 0:0',
    '/proc/self/fd',
    '/proc/self/fd/0',
    '/proc/self/fd/1',
    '/proc/self/fd/2',
    'pts/ptmx',
  ];
  // /dev/core only where the kernel has /proc/kcore, as runc.
  if (existsSync('/proc/kcore')) expected.push('/proc/kcore');
  t.deepEqual(run.stdout.trim().split('\n'), expected);
});

test('in a user namespace, device nodes are bind mounts of the host\'s nodes', (t) => {
  const run = runScript(`${statLine} /dev/null /dev/custom; grep -E " /dev/(null|custom) " /proc/self/mountinfo`, (b) => {
    withUserns(b);
    b.spec.linux!.devices = [{ path: '/dev/custom', type: 'c', major: 1, minor: 5 }];
  });
  // /dev/custom has no host node to bind.
  t.is(run.status, 1);
  t.regex(run.stderr, /linux\.devices\[0\] \(\/dev\/custom\): bind-mount the host's \/dev\/custom: No such file or directory/);

  const bound = runScript(`${statLine} /dev/null /dev/zero; grep -E " /dev/(null|zero) " /proc/self/mountinfo`, (b) => withUserns(b));
  t.is(bound.status, 0, bound.stderr);
  const lines = bound.stdout.trim().split('\n');
  // Owned by the host's root, whom the namespace does not map.
  t.deepEqual(lines.slice(0, 2), ['/dev/null character special file 1:3 666 65534:65534', '/dev/zero character special file 1:5 666 65534:65534']);
  const entries = parseMountinfo(bound.stdout);
  t.is(mountAt(entries, '/dev/null')?.fsType, 'devtmpfs');
  t.is(mountAt(entries, '/dev/zero')?.fsType, 'devtmpfs');
});

test('a bind-mounted /dev is left as it is: no nodes or symlinks are made in it', (t) => {
  const dir = hostDir(t);
  mkdirSync(join(dir, 'pts'));
  // The null the masked paths are covered with.
  execFileSync('mknod', ['-m', '666', join(dir, 'null'), 'c', '1', '3']);
  const run = runScript('ls -A /dev | wc -l', (b) => {
    b.spec.mounts = b.spec.mounts!.filter((m) => !m.destination.startsWith('/dev'));
    b.spec.mounts!.push({ destination: '/dev', type: 'bind', source: dir, options: ['rbind'] });
  });
  t.is(run.status, 0, run.stderr);
  t.is(run.stdout.trim(), '2');
  t.deepEqual(readdirSync(dir).sort(), ['null', 'pts']);
});
