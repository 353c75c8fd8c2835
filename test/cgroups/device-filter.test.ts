import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { containerDeviceRules } from '../../orchestrator/src/cgroups/devices/container-rules.js';
import { setDevicesV2 } from '../../orchestrator/src/cgroups/v2/devices.js';
import { CGROUP2_SUPER_MAGIC } from './container-support.js';

// The eBPF device filter (orch-init cgroup-devices) on a real cgroup2 hierarchy: /sys/fs/cgroup on
// a v2 host, systemd's /sys/fs/cgroup/unified on a hybrid one (the filter works there as well).
function cgroup2Mount(): string | undefined {
  for (const dir of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    try {
      if (statfsSync(dir).type === CGROUP2_SUPER_MAGIC) return dir;
    } catch {
      // not mounted
    }
  }
  return undefined;
}

const mount = process.geteuid?.() === 0 ? cgroup2Mount() : undefined;
const maybe = mount !== undefined ? test.serial : test.skip;

/** Runs a shell in the cgroup (it moves itself in first) and returns its output. */
function inCgroup(dir: string, script: string): string {
  const result = spawnSync('sh', ['-c', `echo $$ > ${dir}/cgroup.procs && ${script}`], { encoding: 'utf8' });
  return result.stdout + result.stderr;
}

maybe('the filter allows the rules and denies the rest; a new filter replaces the old', (t) => {
  const dir = join(mount as string, `orch-devtest-${process.pid}`);
  mkdirSync(dir);
  t.teardown(() => existsSync(dir) && rmdirSync(dir));

  // runc's defaults after a deny-all: null, zero, urandom … but not /dev/loop0 or /dev/kmsg
  setDevicesV2(dir, containerDeviceRules([{ allow: false, access: 'rwm' }], []));
  const out = inCgroup(dir, 'echo x > /dev/null && echo null-ok; head -c 2 /dev/zero | wc -c; head -c 1 /dev/kmsg >/dev/null 2>&1 || echo kmsg-denied; mknod /tmp/orch-devtest-$$ c 1 11 && echo mknod-ok; rm -f /tmp/orch-devtest-$$');
  t.regex(out, /null-ok/);
  t.regex(out, /^\s*2$/m);
  t.regex(out, /kmsg-denied/);
  t.regex(out, /mknod-ok/, 'mknod of any device is allowed ("c *:* m")');

  // read-only /dev/zero: writes refused, reads allowed
  setDevicesV2(dir, [
    { type: 'a', major: -1, minor: -1, access: 'rwm', allow: false },
    { type: 'c', major: 1, minor: 5, access: 'r', allow: true },
  ]);
  const ro = inCgroup(dir, 'head -c 3 /dev/zero | wc -c; echo x > /dev/zero 2>/dev/null || echo zero-write-denied; echo x > /dev/null 2>/dev/null || echo null-denied');
  t.regex(ro, /^\s*3$/m);
  t.regex(ro, /zero-write-denied/);
  t.regex(ro, /null-denied/, 'the first filter is gone: only the second applies');

  // allow-all with one exception
  setDevicesV2(dir, [
    { type: 'a', major: -1, minor: -1, access: 'rwm', allow: true },
    { type: 'c', major: 1, minor: 3, access: 'w', allow: false },
  ]);
  const aa = inCgroup(dir, 'echo x > /dev/null 2>/dev/null || echo null-write-denied; head -c 1 /dev/null; echo read-ok; head -c 1 /dev/urandom > /dev/zero && echo urandom-ok');
  t.regex(aa, /null-write-denied/);
  t.regex(aa, /read-ok/);
  t.regex(aa, /urandom-ok/);
});

maybe('a refused filter reports the helper error with the cgroup named', (t) => {
  const dir = join(mount as string, `orch-devtest-missing-${process.pid}`);
  t.throws(() => setDevicesV2(dir, [{ type: 'a', major: -1, minor: -1, access: 'rwm', allow: false }]), {
    message: `cgroup devices: ${dir}: open ${dir}: No such file or directory`,
  });
});
