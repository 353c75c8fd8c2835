import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostDir, hostMount, mountAt, parseMountinfo, runScript, withUserns } from './helpers/container.js';

const mountinfoOf = (stdout: string) => parseMountinfo(stdout);

test('tmpfs takes size, mode, uid and gid; over an existing directory it keeps that directory\'s mode', (t) => {
  const run = runScript('stat -c "%a %u %g" /mnt/t /srv/keep; grep -E " /mnt/t | /srv/keep " /proc/self/mountinfo', (b) => {
    mkdirSync(join(b.rootfs, 'srv/keep'), { recursive: true });
    chmodSync(join(b.rootfs, 'srv/keep'), 0o710);
    b.spec.mounts!.push(
      { destination: '/mnt/t', type: 'tmpfs', source: 'tmpfs', options: ['size=1m', 'mode=700', 'uid=1000', 'gid=1001', 'nosuid'] },
      { destination: '/srv/keep', type: 'tmpfs', source: 'tmpfs', options: ['nodev'] },
    );
  });
  t.is(run.status, 0, run.stderr);
  const [tmp, keep] = run.stdout.split('\n');
  t.is(tmp, '700 1000 1001');
  t.is(keep, '710 0 0');
  const entries = mountinfoOf(run.stdout);
  t.true(mountAt(entries, '/mnt/t')!.superOptions.includes('size=1024k'));
  t.true(mountAt(entries, '/mnt/t')!.options.includes('nosuid'));
  t.is(mountAt(entries, '/srv/keep')!.fsType, 'tmpfs');
});

test('a read-only tmpfs (and a read-only /dev) is filled first, then made read-only', (t) => {
  const run = runScript('stat -c %t:%T /dev/null; touch /dev/x 2>/dev/null && echo DEV-WRITABLE; touch /mnt/ro/x 2>/dev/null && echo TMPFS-WRITABLE; grep -E " /dev | /mnt/ro " /proc/self/mountinfo', (b) => {
    b.spec.mounts![1]!.options!.push('ro');
    b.spec.mounts!.push({ destination: '/mnt/ro', type: 'tmpfs', source: 'tmpfs', options: ['ro', 'mode=755'] });
  });
  t.is(run.status, 0, run.stderr);
  t.true(run.stdout.startsWith('1:3\n'), run.stdout);
  t.false(run.stdout.includes('WRITABLE'));
  const entries = mountinfoOf(run.stdout);
  t.true(mountAt(entries, '/dev')!.options.includes('ro'));
  t.true(mountAt(entries, '/mnt/ro')!.options.includes('ro'));
});

test('tmpcopyup starts the tmpfs with what the directory held: files, directories, symlinks, fifos, modes and owners', (t) => {
  let rootfs = '';
  const run = runScript(
    'cd /data && stat -c "%n %F %a %u:%g" file dir dir/inner link fifo && readlink link && cat file dir/inner && echo new > made && grep " /data " /proc/self/mountinfo',
    (b) => {
      rootfs = b.rootfs;
      const data = join(b.rootfs, 'data');
      mkdirSync(join(data, 'dir'), { recursive: true });
      writeFileSync(join(data, 'file'), 'from the image\n');
      chmodSync(join(data, 'file'), 0o604);
      chownSync(join(data, 'file'), 1000, 1001);
      writeFileSync(join(data, 'dir/inner'), 'nested\n');
      chmodSync(join(data, 'dir'), 0o750);
      // Copied as a symlink, never followed: it names a host file.
      symlinkSync('/etc/hostname', join(data, 'link'));
      execFileSync('mkfifo', ['-m', '0600', join(data, 'fifo')]);
      b.spec.mounts!.push({ destination: '/data', type: 'tmpfs', source: 'tmpfs', options: ['tmpcopyup', 'mode=755'] });
    },
  );
  t.is(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.deepEqual(lines.slice(0, 8), [
    'file regular file 604 1000:1001',
    'dir directory 750 0:0',
    'dir/inner regular file 644 0:0',
    'link symbolic link 777 0:0',
    'fifo fifo 600 0:0',
    '/etc/hostname',
    'from the image',
    'nested',
  ]);
  t.is(mountAt(mountinfoOf(run.stdout), '/data')?.fsType, 'tmpfs');
  // The write went to the tmpfs, not to the image.
  t.false(existsSync(join(rootfs, 'data/made')));
});

test('proc cannot be mounted through a symlink or onto a file', (t) => {
  const throughLink = runScript('true', (b) => {
    rmSync(join(b.rootfs, 'proc'), { recursive: true });
    symlinkSync('/tmp', join(b.rootfs, 'proc'));
  });
  t.is(throughLink.status, 1);
  t.regex(throughLink.stderr, /mount 0 \(\/proc\): filesystem proc must be mounted on ordinary directory/);
  const ontoFile = runScript('true', (b) => {
    rmSync(join(b.rootfs, 'proc'), { recursive: true });
    writeFileSync(join(b.rootfs, 'proc'), '');
  });
  t.is(ontoFile.status, 1);
  t.regex(ontoFile.stderr, /mount 0 \(\/proc\): filesystem proc must be mounted on ordinary directory/);
});

test('inside /proc only the files lxcfs emulates may be covered', (t) => {
  const dir = hostDir(t);
  writeFileSync(join(dir, 'uptime'), '12345.00 0.00\n');
  const allowed = runScript('cat /proc/uptime', (b) => {
    b.spec.mounts!.push({ destination: '/proc/uptime', type: 'bind', source: join(dir, 'uptime'), options: ['bind', 'ro'] });
  });
  t.is(allowed.status, 0, allowed.stderr);
  t.is(allowed.stdout, '12345.00 0.00\n');
  const refused = runScript('true', (b) => {
    b.spec.mounts!.push({ destination: '/proc/sys/kernel/core_pattern', type: 'bind', source: join(dir, 'uptime'), options: ['bind'] });
  });
  t.is(refused.status, 1);
  t.regex(refused.stderr, /mount 7 \(\/proc\/sys\/kernel\/core_pattern\): \/proc\/sys\/kernel\/core_pattern cannot be mounted because it is inside \/proc/);
});

test('sysfs: fresh and read-only with a network namespace; in a user namespace without one, the host\'s /sys bound read-only', (t) => {
  const script = 'grep -E " /sys | /sys/fs/cgroup " /proc/self/mountinfo; ls /sys/class/net; touch /sys/x 2>/dev/null && echo WROTE; true';
  const own = runScript(script);
  t.is(own.status, 0, own.stderr);
  t.is(mountAt(mountinfoOf(own.stdout), '/sys')?.fsType, 'sysfs');
  t.true(mountAt(mountinfoOf(own.stdout), '/sys')!.options.includes('ro'));
  t.true(own.stdout.split('\n').includes('lo'));

  const bound = runScript(script, (b) => {
    withUserns(b);
    b.spec.linux!.namespaces = b.spec.linux!.namespaces!.filter((ns) => ns.type !== 'network');
  });
  t.is(bound.status, 0, bound.stderr);
  const sys = mountAt(mountinfoOf(bound.stdout), '/sys')!;
  t.is(sys.fsType, 'sysfs');
  t.true(sys.options.includes('ro'), sys.options.join(','));
  t.false(bound.stdout.includes('WROTE'));

  const writable = runScript('true', (b) => {
    withUserns(b);
    b.spec.linux!.namespaces = b.spec.linux!.namespaces!.filter((ns) => ns.type !== 'network');
    b.spec.mounts![5]!.options = ['nosuid', 'noexec', 'nodev'];
  });
  t.is(writable.status, 1);
  t.regex(writable.stderr, /mount 5 \(\/sys\): mount sysfs \(without its own network namespace, a user namespace gets a sysfs only read-only, bound from the host\): Operation not permitted/);
});

test('devpts is a new instance with its options, and /dev/ptmx leads into it', (t) => {
  const run = runScript('grep " /dev/pts " /proc/self/mountinfo; readlink /dev/ptmx; stat -c "%F %t:%T" /dev/pts/ptmx');
  t.is(run.status, 0, run.stderr);
  const pts = mountAt(mountinfoOf(run.stdout), '/dev/pts')!;
  t.is(pts.fsType, 'devpts');
  for (const option of ['mode=620', 'ptmxmode=666', 'gid=5']) t.true(pts.superOptions.includes(option), pts.superOptions.join(','));
  t.deepEqual(run.stdout.trim().split('\n').slice(1), ['pts/ptmx', 'character special file 5:2']);
});

test('mqueue is mounted with its flags', (t) => {
  const run = runScript('grep " /dev/mqueue " /proc/self/mountinfo');
  t.is(run.status, 0, run.stderr);
  const mq = mountAt(mountinfoOf(run.stdout), '/dev/mqueue')!;
  t.is(mq.fsType, 'mqueue');
  for (const flag of ['nosuid', 'nodev', 'noexec']) t.true(mq.options.includes(flag));
});

const hostCgroupV2 = (): boolean => execFileSync('stat', ['-f', '-c', '%T', '/sys/fs/cgroup'], { encoding: 'utf8' }).trim() === 'cgroup2fs';

test('cgroup: v1 gets one read-only mount per hierarchy holding the container\'s cgroup (its root with a cgroup namespace); v2 gets cgroup2', (t) => {
  const script = 'grep " /sys/fs/cgroup" /proc/self/mountinfo; ls /sys/fs/cgroup';
  const plain = runScript(script);
  const ns = runScript(script, (b) => b.spec.linux!.namespaces!.push({ type: 'cgroup' }));
  t.is(plain.status, 0, plain.stderr);
  t.is(ns.status, 0, ns.stderr);
  if (hostCgroupV2()) {
    t.is(mountAt(mountinfoOf(ns.stdout), '/sys/fs/cgroup')?.fsType, 'cgroup2');
    return;
  }
  const hostV1 = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => / - cgroup /.test(l));
  const plainMounts = mountinfoOf(plain.stdout).filter((e) => e.fsType === 'cgroup');
  const nsMounts = mountinfoOf(ns.stdout).filter((e) => e.fsType === 'cgroup');
  t.is(plainMounts.length, hostV1.length);
  t.is(nsMounts.length, hostV1.length);
  for (const e of [...plainMounts, ...nsMounts]) t.true(e.options.includes('ro'), `${e.mountPoint}: ${e.options.join(',')}`);
  // Without a cgroup namespace each is a bind of the container's own cgroup; with one, a fresh
  // mount whose root is the namespace's.
  t.true(plainMounts.every((e) => e.root !== '/'), plain.stdout);
  t.true(nsMounts.every((e) => e.root === '/'), ns.stdout);
  t.is(mountAt(mountinfoOf(plain.stdout), '/sys/fs/cgroup')?.fsType, 'tmpfs');
  // Merged hierarchies ("cpu,cpuacct") get one symlink per controller.
  for (const e of plainMounts) {
    const name = e.mountPoint.split('/').pop() ?? '';
    for (const part of name.split(',')) t.true(plain.stdout.split('\n').includes(part), `${part} listed`);
  }
});

test('rootfsPropagation sets how the container\'s / propagates', (t) => {
  const rootLine = `awk '$5 == "/"' /proc/self/mountinfo`;
  const shared = runScript(rootLine, (b) => (b.spec.linux!.rootfsPropagation = 'rshared'));
  t.is(shared.status, 0, shared.stderr);
  t.true(mountAt(mountinfoOf(shared.stdout), '/')!.tags.some((tag) => tag.startsWith('shared:')), shared.stdout);
  const unbindable = runScript(rootLine, (b) => (b.spec.linux!.rootfsPropagation = 'unbindable'));
  t.is(unbindable.status, 0, unbindable.stderr);
  t.deepEqual(mountAt(mountinfoOf(unbindable.stdout), '/')!.tags, ['unbindable']);
  const priv = runScript(rootLine, (b) => (b.spec.linux!.rootfsPropagation = 'rprivate'));
  t.is(priv.status, 0, priv.stderr);
  t.deepEqual(mountAt(mountinfoOf(priv.stdout), '/')!.tags, []);
});

test('an id-mapped bind (uidMappings/gidMappings) shows the mapped owners, without a user namespace', (t) => {
  const dir = hostDir(t);
  writeFileSync(join(dir, 'owned'), '');
  chownSync(join(dir, 'owned'), 1000, 1000);
  const run = runScript('stat -c "%u:%g" /mnt/idmapped/owned /mnt/plain/owned; grep " /mnt/idmapped " /proc/self/mountinfo', (b) => {
    b.spec.mounts!.push(
      {
        destination: '/mnt/idmapped',
        type: 'bind',
        source: dir,
        options: ['bind'],
        uidMappings: [{ containerID: 1000, hostID: 2000, size: 10 }],
        gidMappings: [{ containerID: 1000, hostID: 3000, size: 10 }],
      },
      { destination: '/mnt/plain', type: 'bind', source: dir, options: ['bind'] },
    );
  });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(run.stdout.split('\n').slice(0, 2), ['2000:3000', '1000:1000']);
  t.true(mountAt(mountinfoOf(run.stdout), '/mnt/idmapped')!.options.includes('idmapped'));
});

test('"idmap" takes the container\'s user namespace mappings; "ridmap" maps submounts too', (t) => {
  const dir = hostDir(t);
  writeFileSync(join(dir, 'owned'), '');
  chownSync(join(dir, 'owned'), 1000, 1000);
  mkdirSync(join(dir, 'sub'));
  hostMount(['-t', 'tmpfs', '-o', 'mode=755', 'orch-idmap-sub'], join(dir, 'sub'));
  writeFileSync(join(dir, 'sub/owned'), '');
  chownSync(join(dir, 'sub/owned'), 1000, 1000);
  let source = '';
  const run = runScript(
    [
      'stat -c "%u:%g" /mnt/plain/owned /mnt/idmap/owned /mnt/idmap/sub/owned /mnt/ridmap/sub/owned',
      'touch /mnt/idmap/made-inside',
      'grep " /mnt/" /proc/self/mountinfo',
    ].join('; '),
    (b) => {
      source = dir;
      withUserns(b);
      for (const name of ['plain', 'idmap', 'ridmap']) mkdirSync(join(b.rootfs, 'mnt', name), { recursive: true });
      b.spec.mounts!.push(
        { destination: '/mnt/plain', type: 'bind', source: dir, options: ['rbind'] },
        { destination: '/mnt/idmap', type: 'bind', source: dir, options: ['rbind', 'idmap'] },
        { destination: '/mnt/ridmap', type: 'bind', source: dir, options: ['rbind', 'ridmap'] },
      );
    },
  );
  t.is(run.status, 0, run.stderr);
  // Unmapped on a plain bind (the overflow id); as on the host through the id-mapped ones.
  t.deepEqual(run.stdout.split('\n').slice(0, 4), ['65534:65534', '1000:1000', '65534:65534', '1000:1000']);
  const entries = mountinfoOf(run.stdout);
  t.true(mountAt(entries, '/mnt/idmap')!.options.includes('idmapped'));
  t.false(mountAt(entries, '/mnt/idmap/sub')!.options.includes('idmapped'));
  t.true(mountAt(entries, '/mnt/ridmap/sub')!.options.includes('idmapped'));
  // The container's root writes as the host's root through the mapping.
  t.is(execFileSync('stat', ['-c', '%u:%g', join(source, 'made-inside')], { encoding: 'utf8' }).trim(), '0:0');
});

test('id-mapped mounts need a mapping: bare "idmap" without a user namespace is refused', (t) => {
  const dir = hostDir(t);
  const run = runScript('true', (b) => {
    b.spec.mounts!.push({ destination: '/mnt/idmap', type: 'bind', source: dir, options: ['bind', 'idmap'] });
  });
  t.is(run.status, 1);
  t.regex(run.stderr, /mounts\[7\]|mount 7 \(\/mnt\/idmap\)/);
});
