import test from 'ava';
import { existsSync } from 'node:fs';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';

// The five commands' command lines, as clients send them (clients.md), on a container that does
// not exist: flags are accepted, the error is runc's.
const root = makeRoot();
const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';
/** The message of orch's error line (logfmt: msg="…" with Go's quoting). */
const msg = (stderr: string): string => {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  return m ? (JSON.parse(`"${m[1] ?? ''}"`) as string) : stderr;
};

test("runc's flags are accepted and an unknown container is runc's error", (t) => {
  const calls: string[][] = [
    ['pause', 'c1'],
    ['resume', 'c1'],
    ['ps', 'c1'],
    ['ps', '--format', 'json', 'c1'],
    ['ps', '-f', 'table', 'c1', '-o', 'pid,comm'],
    ['events', '--stats', 'c1'],
    ['events', '--interval=5s', 'c1'],
    ['update', '--memory', '1G', '--memory-swap', '-1', '--pids-limit', '10', '--cpu-share', '512', '--cpu-quota', '-1', 'c1'],
    ['update', '--blkio-weight', '500', '--cpu-period', '100000', '--cpu-burst', '0', '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '0', 'c1'],
    ['update', '--cpuset-cpus', '0', '--cpuset-mems', '0', '--cpu-idle', '0', '--memory-reservation', '64m', '--kernel-memory', '1m', '--kernel-memory-tcp', '1m', 'c1'],
  ];
  for (const argv of calls) {
    const run = orch(root, argv);
    t.is(run.status, 1, argv.join(' '));
    t.regex(lastLine(run.stderr), /container does not exist/, argv.join(' '));
  }
});

test('update -r: the container is looked up before the JSON is read, as runc', (t) => {
  t.regex(orch(root, ['update', '--resources=-', 'c1'], { input: '{"memory": {"limit": 1000}}' }).stderr, /container does not exist/);
  t.regex(orch(root, ['update', '-r', '-', 'c1'], { input: '{"pids": {"limit": "ten"}}' }).stderr, /container does not exist/);
  t.regex(orch(root, ['update', '-r', '/nonexistent.json', 'c1']).stderr, /container does not exist/);
});

test('argument counts and flag values are checked as runc checks them', (t) => {
  const error = (...argv: string[]): string => msg(orch(root, argv).stderr);
  t.is(error('pause'), 'orch: "pause" requires exactly 1 argument(s)');
  t.is(error('resume', 'a', 'b'), 'orch: "resume" requires exactly 1 argument(s)');
  t.is(error('ps'), 'orch: "ps" requires a minimum of 1 argument(s)');
  t.is(error('events'), 'orch: "events" requires exactly 1 argument(s)');
  t.is(error('update', '--memory', '1g'), 'orch: "update" requires exactly 1 argument(s)');
  t.is(error('update', '--memory', 'lots', 'c1'), "invalid value for memory: invalid size: 'lots'");
  t.is(error('update', '--pids-limit', 'x', 'c1'), 'invalid value "x" for flag -pids-limit: parse error');
  t.is(error('events', '--interval', 'soon', 'c1'), 'invalid value "soon" for flag -interval: parse error');
  // a host with resctrl's CAT gets to `c1` (which does not exist); one without is refused first
  t.regex(error('update', '--l3-cache-schema', 'L3:0=f', 'c1'), /^(Intel RDT\/CAT: l3 cache schema is not enabled|container does not exist)$/);
});

test('--systemd-cgroup fails create clearly, and leaves nothing', (t) => {
  const bundle = makeBundle(['true'], (spec) => {
    spec.linux = { ...spec.linux, cgroupsPath: 'system.slice:orch:sd1' };
  });
  const run = orch(root, ['--systemd-cgroup', 'create', '--bundle', bundle.dir, 'sd1']);
  t.is(run.status, 1);
  t.regex(msg(run.stderr), /^orch create failed: (systemd not running on this host, cannot use systemd cgroups manager|systemd cgroup driver: .*not implemented yet.*)$/);
  t.false(existsSync(`${root}/sd1`));
  const plain = makeBundle(['true'], (spec) => {
    spec.linux = { ...spec.linux, cgroupsPath: '/not/slice/form' };
  });
  t.regex(msg(orch(root, ['--systemd-cgroup', 'create', '--bundle', plain.dir, 'sd2']).stderr), /expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "\/not\/slice\/form" instead/);
});
