import test from 'ava';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle, type Bundle } from '../support/bundle.js';
import { makeRoot, orch, orchAsync, waitForStatus } from '../support/orch-cli.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `exec-${process.pid}-${++serial}`;
const NAMESPACES = ['pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup', 'user'];

/** A running container whose init sleeps until the test deletes it. */
function runningContainer(t: { teardown(fn: () => void): void }, edit?: Parameters<typeof makeBundle>[1]): { id: string; bundle: Bundle; initPid: number } {
  const bundle = makeBundle(['sleep', '1000'], edit);
  const id = nextId();
  const run = orch(root, ['run', '-d', '-b', bundle.dir, id]);
  if (run.status !== 0) throw new Error(`run failed: ${run.stderr}`);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  const { pid } = JSON.parse(orch(root, ['state', id]).stdout) as { pid: number };
  return { id, bundle, initPid: pid };
}

const cgroupPaths = (id: string): Record<string, string> =>
  (JSON.parse(readFileSync(join(root, id, 'state.json'), 'utf8')) as { cgroup: { paths: Record<string, string> } }).cgroup.paths;

test.serial('exec runs in every namespace and the cgroup of the container, and exits with the status of the process', (t) => {
  const { id, initPid } = runningContainer(t, (spec) => {
    spec.linux!.namespaces!.push({ type: 'cgroup' });
  });
  const script = `${NAMESPACES.map((ns) => `readlink /proc/self/ns/${ns}`).join('; ')}; echo pid=$$; cat /proc/self/cgroup; exit 7`;
  const result = orch(root, ['exec', id, 'sh', '-c', script]);
  t.is(result.status, 7, result.stderr);
  const lines = result.stdout.trim().split('\n');
  NAMESPACES.forEach((ns, i) => t.is(lines[i], readlinkSync(`/proc/${initPid}/ns/${ns}`), `${ns} namespace`));
  // pid 1 is the container's init: the exec'd shell is another process of its pid namespace
  t.regex(lines[NAMESPACES.length] ?? '', /^pid=([2-9]|\d\d+)$/);
  // in the container's cgroup namespace, its cgroup is the root of every hierarchy
  for (const line of lines.slice(NAMESPACES.length + 1)) t.regex(line, /^\d+:[^:]*:\/$/);
});

test.serial('exec into a created container works before start, as with runc', (t) => {
  const bundle = makeBundle(['sleep', '1000']);
  const id = nextId();
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  const result = orch(root, ['exec', id, 'sh', '-c', 'echo in-created; cat /proc/1/cmdline']);
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout.split('\n')[0], 'in-created');
  t.is(JSON.parse(orch(root, ['state', id]).stdout).status, 'created');
});

test.serial('--env, --cwd, --user and --additional-gids change the process; the rest is the container config', (t) => {
  const { id } = runningContainer(t, (spec) => {
    spec.process!.env = [...spec.process!.env!, 'FROM_CONFIG=1', 'OVERRIDDEN=old'];
  });
  const result = orch(root, ['exec', '--env', 'ADDED=yes', '-e', 'OVERRIDDEN=new', '--cwd', '/tmp', '-u', '1000:1000', '-g', '5', '-g', '7', id, 'sh', '-c', 'echo $FROM_CONFIG $ADDED $OVERRIDDEN; pwd; id -u; id -g; id -G']);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), ['1 yes new', '/tmp', '1000', '1000', '1000 5 7']);
});

test.serial('--user with only a uid keeps the gid of the config', (t) => {
  const { id } = runningContainer(t);
  const result = orch(root, ['exec', '-u', '1000', id, 'sh', '-c', 'id -u; id -g']);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), ['1000', '0']);
});

test.serial('--cap adds a capability and --no-new-privs sets no_new_privs', (t) => {
  const { id } = runningContainer(t, (spec) => {
    spec.process!.noNewPrivileges = false;
  });
  const status = (args: string[]): Record<string, string> => {
    const result = orch(root, ['exec', ...args, id, 'cat', '/proc/self/status']);
    t.is(result.status, 0, result.stderr);
    return Object.fromEntries(result.stdout.split('\n').map((l) => l.split(':\t') as [string, string]));
  };
  const CAP_SYS_ADMIN = 1n << 21n;
  const plain = status([]);
  t.is(BigInt(`0x${plain['CapEff']}`) & CAP_SYS_ADMIN, 0n);
  t.is(plain['NoNewPrivs'], '0');
  const added = status(['--cap', 'CAP_SYS_ADMIN', '--no-new-privs']);
  t.is(BigInt(`0x${added['CapEff']}`) & CAP_SYS_ADMIN, CAP_SYS_ADMIN);
  t.is(BigInt(`0x${added['CapBnd']}`) & CAP_SYS_ADMIN, CAP_SYS_ADMIN);
  t.is(added['NoNewPrivs'], '1');
});

test.serial('--process takes the whole process from a runtime-spec JSON file; process flags are then ignored', (t) => {
  const { id, bundle } = runningContainer(t);
  const processFile = join(bundle.dir, 'process.json');
  writeFileSync(
    processFile,
    JSON.stringify({
      args: ['sh', '-c', 'echo $ONLY; pwd; id -u; grep CapEff /proc/self/status; ulimit -n'],
      env: ['ONLY=from-file', 'PATH=/bin'],
      cwd: '/root',
      user: { uid: 1000, gid: 1000 },
      // ambient (so inheritable too): a non-root user keeps capabilities across execve only so
      capabilities: { bounding: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'], inheritable: ['CAP_CHOWN'], ambient: ['CAP_CHOWN'] },
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: 123, hard: 456 }],
    }),
  );
  const result = orch(root, ['exec', '--process', processFile, '--env', 'IGNORED=1', id, 'ignored-command']);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), ['from-file', '/root', '1000', 'CapEff:\t0000000000000001', '123']);
});

test.serial('a bad --process file is refused with its path and the field', (t) => {
  const { id, bundle } = runningContainer(t);
  const processFile = join(bundle.dir, 'bad-process.json');
  writeFileSync(processFile, JSON.stringify({ args: ['true'], cwd: 'relative' }));
  const relative = orch(root, ['exec', '-p', processFile, id]);
  t.is(relative.status, 255);
  t.regex(relative.stderr, /exec failed: Cwd must be an absolute path/);
  writeFileSync(processFile, JSON.stringify({ args: ['true'], cwd: '/', user: { uid: 'root', gid: 0 } }));
  const badUser = orch(root, ['exec', '-p', processFile, id]);
  t.is(badUser.status, 255);
  t.true(badUser.stderr.includes(`exec failed: ${processFile}: process.user.uid: must be integer`), badUser.stderr);
});

test.serial('--detach returns at once and --pid-file names the process on the host, inside the container', (t) => {
  const { id, bundle, initPid } = runningContainer(t);
  const pidFile = join(bundle.dir, 'exec.pid');
  const started = Date.now();
  const result = orch(root, ['exec', '-d', '--pid-file', pidFile, id, 'sleep', '30']);
  t.is(result.status, 0, result.stderr);
  t.true(Date.now() - started < 10_000);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  t.true(pid > 0 && pid !== initPid);
  t.is(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), 'sleep\x0030\x00');
  t.is(readlinkSync(`/proc/${pid}/ns/pid`), readlinkSync(`/proc/${initPid}/ns/pid`));
});

test.serial('--preserve-fds passes fds 3.. to the process', (t) => {
  const { id, bundle } = runningContainer(t);
  const file = join(bundle.dir, 'passed.txt');
  writeFileSync(file, 'through fd 3\n');
  const fd = openSync(file, 'r');
  t.teardown(() => closeSync(fd));
  const result = orch(root, ['exec', '--preserve-fds', '1', id, 'sh', '-c', 'cat <&3; ls /proc/self/fd | sort -n | tr "\\n" " "'], { extraFds: [fd] });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout.split('\n')[0], 'through fd 3');
  // 0-2, the preserved 3, and ls's own directory fd: nothing of orch leaks in
  t.is(result.stdout.split('\n')[1], '0 1 2 3 4 ');
});

test.serial('--cgroup runs the process in an existing sub-cgroup, of every hierarchy or of the named controllers', (t) => {
  const { id } = runningContainer(t);
  const paths = cgroupPaths(id);
  for (const [controllers, dir] of Object.entries(paths)) {
    mkdirSync(join(dir, 'sub'));
    // a new cpuset cgroup has no cpus or mems: nothing could join it
    if (controllers.split(',').includes('cpuset')) {
      for (const file of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(join(dir, 'sub', file), readFileSync(join(dir, file)));
    }
  }
  t.teardown(() => {
    for (const dir of Object.values(paths)) if (existsSync(join(dir, 'sub'))) rmdirSync(join(dir, 'sub'));
  });
  const all = orch(root, ['exec', '--cgroup', 'sub', id, 'cat', '/proc/self/cgroup']);
  t.is(all.status, 0, all.stderr);
  for (const line of all.stdout.trim().split('\n').filter((l) => !l.startsWith('0::'))) t.regex(line, new RegExp(`/${id}/sub$`), line);

  const onlyPids = orch(root, ['exec', '--cgroup', 'pids:sub', id, 'cat', '/proc/self/cgroup']);
  t.is(onlyPids.status, 0, onlyPids.stderr);
  for (const line of onlyPids.stdout.trim().split('\n').filter((l) => !l.startsWith('0::'))) {
    t.regex(line, line.split(':')[1] === 'pids' ? new RegExp(`/${id}/sub$`) : new RegExp(`/${id}$`), line);
  }

  const missing = orch(root, ['exec', '--cgroup', 'nosuch', id, 'true']);
  t.is(missing.status, 255);
  t.regex(missing.stderr, /exec failed: .*nosuch.*ENOENT/);
  const escape = orch(root, ['exec', '--cgroup', '../../escape', id, 'true']);
  t.is(escape.status, 255);
  t.regex(escape.stderr, /is not a sub cgroup path/);
  const parent = orch(root, ['exec', '--cgroup', '..', id, 'true']);
  t.is(parent.status, 255);
  t.regex(parent.stderr, /\.\. is not a sub cgroup path/);
});

test.serial('exec joins the user namespace of the container first and sees its id maps', (t) => {
  const { id, initPid } = runningContainer(t, (spec) => {
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 300000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 300000, size: 65536 }];
  });
  const result = orch(root, ['exec', '-u', '1000', id, 'sh', '-c', 'cat /proc/self/uid_map; id -u; readlink /proc/self/ns/user']);
  t.is(result.status, 0, result.stderr);
  const [map, uid, ns] = result.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  t.is(map, '0 300000 65536');
  t.is(uid, '1000');
  t.is(ns, readlinkSync(`/proc/${initPid}/ns/user`));
});

test.serial("the container's seccomp filter applies to exec'd processes", (t) => {
  const { id } = runningContainer(t, (spec) => {
    spec.linux!.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
    };
  });
  const result = orch(root, ['exec', id, 'sh', '-c', 'mkdir /tmp/denied 2>&1; echo status=$?; grep Seccomp: /proc/self/status']);
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /Operation not permitted/);
  t.regex(result.stdout, /status=1\nSeccomp:\t2\n/);
});

test.serial('signals sent to a foreground exec reach the process', async (t) => {
  const { id, bundle } = runningContainer(t, (spec) => {
    spec.root!.readonly = false;
  });
  const running = orchAsync(root, ['exec', id, 'sh', '-c', 'trap "echo got TERM; exit 42" TERM; touch /tmp/ready; while true; do sleep 0.1; done']);
  // the trap is set once /tmp/ready exists (the rootfs is the bundle's: visible from here)
  const ready = join(bundle.rootfs, 'tmp/ready');
  for (let i = 0; i < 400 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 25));
  t.true(existsSync(ready));
  process.kill(running.pid, 'SIGTERM');
  const result = await running.done;
  t.is(result.status, 42, result.stderr);
  t.is(result.stdout, 'got TERM\n');
});

test.serial('a command that is not there fails exec with status 255 and runc\'s message', (t) => {
  const { id } = runningContainer(t);
  const result = orch(root, ['exec', id, 'no-such-command']);
  t.is(result.status, 255);
  t.regex(result.stderr, /exec failed: exec: \\"no-such-command\\": executable file not found in \$PATH/);
  const empty = orch(root, ['exec', id]);
  t.is(empty.status, 255);
  t.regex(empty.stderr, /exec failed: exec args cannot be empty/);
});

test.serial('exec into a stopped container fails; into a paused one only with --ignore-paused, and runs once resumed', async (t) => {
  const { id } = runningContainer(t);
  t.is(orch(root, ['pause', id]).status, 0);
  const paused = orch(root, ['exec', id, 'true']);
  t.is(paused.status, 255);
  t.regex(paused.stderr, /exec failed: cannot exec in a paused container \(use --ignore-paused to override\)/);

  const waiting = orchAsync(root, ['exec', '--ignore-paused', id, 'echo', 'ran after resume']);
  await new Promise((r) => setTimeout(r, 300));
  t.is(orch(root, ['resume', id]).status, 0);
  const resumed = await waiting.done;
  t.is(resumed.status, 0, resumed.stderr);
  t.is(resumed.stdout, 'ran after resume\n');

  t.is(orch(root, ['kill', id, 'KILL']).status, 0);
  await waitForStatus(root, id, 'stopped');
  const stopped = orch(root, ['exec', id, 'true']);
  t.is(stopped.status, 255);
  t.regex(stopped.stderr, /exec failed: cannot exec in a stopped container/);
  const unknown = orch(root, ['exec', 'no-such-container', 'true']);
  t.is(unknown.status, 255);
  t.regex(unknown.stderr, /exec failed: container does not exist/);
});

test.serial('--apparmor and --process-label are refused on a host without AppArmor or SELinux', (t) => {
  const { id } = runningContainer(t);
  const apparmor = orch(root, ['exec', '--apparmor', 'some-profile', id, 'true']);
  t.is(apparmor.status, 255);
  t.regex(apparmor.stderr, /exec failed: .*[Aa]pp[Aa]rmor/);
  const label = orch(root, ['exec', '--process-label', 'system_u:system_r:container_t:s0', id, 'true']);
  t.is(label.status, 255);
  t.regex(label.stderr, /exec failed: .*SELinux/i);
});

test('exec: process.execCPUAffinity.final pins the exec\'d process; without it, it gets every CPU of the container', (t) => {
  const cpus = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  const last = Number(/(\d+)$/.exec(cpus)?.[1] ?? 0);
  const { id, bundle } = runningContainer(t);
  const affinity = (execCPUAffinity: { initial?: string; final?: string }): ReturnType<typeof orch> => {
    const file = join(bundle.dir, `process-${Object.keys(execCPUAffinity).join('-')}.json`);
    writeFileSync(file, JSON.stringify({ cwd: '/', user: { uid: 0, gid: 0 }, env: ['PATH=/bin'], args: ['grep', '^Cpus_allowed_list:', '/proc/self/status'], execCPUAffinity }));
    return orch(root, ['exec', '--process', file, id]);
  };
  const final = affinity({ initial: '0', final: String(last) });
  t.is(final.status, 0, final.stderr);
  t.is(final.stdout.trim().split(/\s+/)[1], String(last));
  // "initial" holds for the runtime's own stages only: the process gets the container's CPUs
  const initialOnly = affinity({ initial: '0' });
  t.is(initialOnly.status, 0, initialOnly.stderr);
  t.is(initialOnly.stdout.trim().split(/\s+/)[1], last === 0 ? '0' : `0-${last}`);
});
