import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountAt, parseMountinfo, runScript, withUserns } from './helpers/container.js';

test('masked paths: a file is covered by /dev/null, a directory by an empty read-only tmpfs, a missing one is skipped', (t) => {
  const run = runScript(
    'stat -c "%F %t:%T" /etc/secret; wc -c < /etc/secret; ls -A /srv/private | wc -l; touch /srv/private/x 2>/dev/null && echo WROTE; grep -E " /etc/secret | /srv/private " /proc/self/mountinfo',
    (b) => {
      writeFileSync(join(b.rootfs, 'etc/secret'), 'password\n');
      mkdirSync(join(b.rootfs, 'srv/private'), { recursive: true });
      writeFileSync(join(b.rootfs, 'srv/private/key'), 'key\n');
      b.spec.linux!.maskedPaths = ['/etc/secret', '/srv/private', '/does/not/exist', '/etc/secret'];
    },
  );
  t.is(run.status, 0, run.stderr);
  const [kind, size, entries] = run.stdout.split('\n');
  t.is(kind, 'character special file 1:3');
  t.is(size?.trim(), '0');
  t.is(entries?.trim(), '0');
  t.false(run.stdout.includes('WROTE'));
  const mounts = parseMountinfo(run.stdout);
  const dir = mountAt(mounts, '/srv/private')!;
  t.is(dir.fsType, 'tmpfs');
  t.true(dir.options.includes('ro'));
  t.truthy(mountAt(mounts, '/etc/secret'));
});

test('read-only paths are bound read-only onto themselves; writes there fail', (t) => {
  const run = runScript(
    'echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo WROTE-PROC; touch /srv/data/x 2>/dev/null && echo WROTE-DATA; touch /srv/data/scratch/x && echo submount-writable; grep -E " /proc/sys | /srv/data " /proc/self/mountinfo',
    (b) => {
      mkdirSync(join(b.rootfs, 'srv/data'), { recursive: true });
      b.spec.root!.readonly = false;
      b.spec.mounts!.push({ destination: '/srv/data/scratch', type: 'tmpfs', source: 'tmpfs' });
      b.spec.linux!.readonlyPaths = ['/proc/sys', '/srv/data', '/not/there'];
    },
  );
  t.is(run.status, 0, run.stderr);
  t.false(run.stdout.includes('WROTE'));
  // As runc: the bind is recursive, read-only applies to the path itself.
  t.true(run.stdout.includes('submount-writable'));
  const mounts = parseMountinfo(run.stdout);
  t.true(mountAt(mounts, '/proc/sys')!.options.includes('ro'));
  t.true(mountAt(mounts, '/srv/data')!.options.includes('ro'));
});

test('root.readonly makes / read-only while /dev, /proc and tmpfs mounts stay writable, also in a user namespace', (t) => {
  const script = 'touch /x 2>/dev/null && echo WROTE-ROOT; touch /tmp/x 2>/dev/null && echo WROTE-TMP; touch /dev/x /dev/shm/x && echo dev-writable; awk \'$5 == "/" { print $6 }\' /proc/self/mountinfo';
  for (const userns of [false, true]) {
    const run = runScript(script, (b) => {
      b.spec.root!.readonly = true;
      if (userns) withUserns(b);
    });
    t.is(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    t.deepEqual(lines.slice(0, 1), ['dev-writable'], `userns ${userns}: ${run.stdout}`);
    t.regex(lines[1] ?? '', /^ro,/);
  }
});

test('sysctls are written in the container\'s namespaces, in dotted and slash form', (t) => {
  const run = runScript('cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/lo/forwarding /proc/sys/kernel/domainname', (b) => {
    b.spec.linux!.sysctl = {
      'kernel.shmmax': '123456789',
      'net.ipv4.ip_forward': '1',
      // sysctl.d(5): a key whose first separator is "/" is a path.
      'net/ipv4/conf/lo/forwarding': '1',
      'kernel.domainname': 'orch.test',
    };
  });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(run.stdout.trim().split('\n'), ['123456789', '1', '1', 'orch.test']);
});

test('a sysctl of a namespace the container does not have is refused before anything runs', (t) => {
  const run = runScript('true', (b) => {
    b.spec.linux!.namespaces = b.spec.linux!.namespaces!.filter((ns) => ns.type !== 'network');
    b.spec.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
  });
  t.is(run.status, 1);
  t.regex(run.stderr, /linux\.sysctl\[\\?"net\.ipv4\.ip_forward\\?"\]: not allowed in the host network namespace/);
});

test('--no-pivot (MS_MOVE and chroot) gives the same mount table and root as pivot_root', (t) => {
  const script = 'ls /; echo --; awk \'{ print $5, $6 }\' /proc/self/mountinfo';
  const pivot = runScript(script);
  const noPivot = runScript(script, undefined, { flags: ['--no-pivot'] });
  t.is(pivot.status, 0, pivot.stderr);
  t.is(noPivot.status, 0, noPivot.stderr);
  t.is(noPivot.stdout, pivot.stdout);
});

test('--no-pivot refuses a private root propagation, as runc does', (t) => {
  const run = runScript('true', (b) => (b.spec.linux!.rootfsPropagation = 'rprivate'), { flags: ['--no-pivot'] });
  t.is(run.status, 1);
  t.regex(run.stderr, /rootfsPropagation: rprivate is not safe without pivot_root/);
});
