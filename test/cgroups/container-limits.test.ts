import test, { type ExecutionContext } from 'ava';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LinuxResources } from '../../orchestrator/src/config/spec-types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeRoot, orch, statusOf } from '../support/orch-cli.js';
import { canRunContainers, hostCgroupVersion, insidePath, limitBundle, statsOf, waitForFile, watchEvents } from './container-support.js';

// Real containers with limits, on whatever cgroup version the host has (v1 here, v2 in the VM:
// test/cgroups-v2/run-in-vm.sh). Each test has its own container; they run one at a time, as the
// cpu measurements need the CPUs they measure.
const maybe = canRunContainers ? test.serial : test.skip;
const version = canRunContainers ? hostCgroupVersion() : 1;
const root = makeRoot();
let serial = 0;
const nextId = (): string => `cglim-${process.pid}-${++serial}`;
const MiB = 1024 * 1024;

/** run -d, failing the test with orch's error when it fails. */
function runDetached(t: ExecutionContext, bundleDir: string, id: string): void {
  const result = orch(root, ['run', '-d', '--bundle', bundleDir, id]);
  t.is(result.status, 0, `run -d ${id}: ${result.stderr}`);
}

test.after.always(() => {
  for (const id of existsSync(root) ? readdirSync(root).filter((n) => !n.includes('@')) : []) orch(root, ['delete', '--force', id]);
});

/** A cpu controller file exists on this v2 kernel: asked of the nearest cgroup up from ours that has cpu.max. */
function v2CpuFile(name: string): boolean {
  const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1] ?? '/';
  for (let dir = join('/sys/fs/cgroup', own); dir.startsWith('/sys/fs/cgroup/'); dir = dirname(dir)) {
    if (existsSync(join(dir, 'cpu.max'))) return existsSync(join(dir, name));
  }
  return false;
}

/**
 * What this host's v1 hierarchy has: a file of a controller (cpu and cpuacct may be joined),
 * asked of a new child cgroup (a hierarchy's root lacks limit files such as pids.max).
 */
const v1Files = new Map<string, boolean>();
function hostHasV1File(file: string): boolean {
  const known = v1Files.get(file);
  if (known !== undefined) return known;
  const [controller, name] = file.split('/') as [string, string];
  const probe = join('/sys/fs/cgroup', controller, `orch-probe-${process.pid}`);
  let has = false;
  try {
    mkdirSync(probe);
    has = existsSync(join(probe, name));
  } catch {
    has = false; // no such hierarchy here
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // never made
    }
  }
  v1Files.set(file, has);
  return has;
}

maybe('limits from config.json are visible inside the container', (t) => {
  const common = { memory: { limit: 64 * MiB, reservation: 32 * MiB }, pids: { limit: 20 }, cpu: { quota: 50000, period: 100000, shares: 1024, cpus: '0' } };
  if (version === 2) {
    const expected: Array<[string, string]> = [
      ['memory.max', `${64 * MiB}`],
      ['memory.low', `${32 * MiB}`],
      ['pids.max', '20'],
      ['cpu.max', '50000 100000'],
      ['cpu.weight', '100'],
      ['cpuset.cpus', '0'],
    ];
    const resources: Resources = structuredClone(common);
    // burst (5.14) and idle (5.15) only where this kernel has their files
    if (v2CpuFile('cpu.max.burst')) {
      resources.cpu.burst = 10000;
      expected.push(['cpu.max.burst', '10000']);
    } else t.log('cpu.max.burst: not on this kernel, not checked');
    if (v2CpuFile('cpu.idle')) {
      resources.cpu.idle = 0;
      expected.push(['cpu.idle', '0']);
    } else t.log('cpu.idle: not on this kernel, not checked');
    const bundle = limitBundle(resources as LinuxResources, expected.map(([f]) => `head -n 1 /sys/fs/cgroup/${f}`).join('; '), (spec) => {
      // the container sees its own cgroup at /sys/fs/cgroup through a cgroup namespace (runc's `spec` adds one there)
      spec.linux = { ...spec.linux, namespaces: [...(spec.linux?.namespaces ?? []), { type: 'cgroup' }] };
    });
    const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
    t.is(result.status, 0, result.stderr);
    t.deepEqual(result.stdout.trim().split('\n'), expected.map(([, v]) => v));
    return;
  }
  // v1: every limit whose file this host's kernel has; the others are named in the log.
  const candidates: Array<{ file: string; value: string; set: (r: Resources) => void }> = [
    { file: 'memory/memory.limit_in_bytes', value: `${64 * MiB}`, set: (r) => (r.memory.limit = 64 * MiB) },
    { file: 'memory/memory.soft_limit_in_bytes', value: `${32 * MiB}`, set: (r) => (r.memory.reservation = 32 * MiB) },
    { file: 'memory/memory.swappiness', value: '10', set: (r) => (r.memory.swappiness = 10) },
    { file: 'memory/memory.oom_control', value: 'oom_kill_disable 1', set: (r) => (r.memory.disableOOMKiller = true) },
    { file: 'pids/pids.max', value: '20', set: (r) => (r.pids.limit = 20) },
    { file: 'cpu/cpu.cfs_quota_us', value: '50000', set: (r) => (r.cpu.quota = 50000) },
    { file: 'cpu/cpu.cfs_period_us', value: '100000', set: (r) => (r.cpu.period = 100000) },
    { file: 'cpu/cpu.cfs_burst_us', value: '10000', set: (r) => (r.cpu.burst = 10000) },
    { file: 'cpu/cpu.shares', value: '1024', set: (r) => (r.cpu.shares = 1024) },
    { file: 'cpu/cpu.idle', value: '0', set: (r) => (r.cpu.idle = 0) },
    { file: 'cpu/cpu.rt_runtime_us', value: '10000', set: (r) => ((r.cpu.realtimePeriod = 1000000), (r.cpu.realtimeRuntime = 10000)) },
    { file: 'cpuset/cpuset.cpus', value: '0', set: (r) => (r.cpu.cpus = '0') },
    // CFQ's file on old kernels, BFQ's since 5.0; neither without a weight-based IO scheduler
    { file: 'blkio/blkio.weight', value: '300', set: (r) => (r.blockIO = { weight: 300 }) },
    { file: 'blkio/blkio.bfq.weight', value: '300', set: (r) => (r.blockIO = { weight: 300 }) },
  ];
  const present = candidates.filter((c) => hostHasV1File(c.file));
  const absent = candidates.filter((c) => !hostHasV1File(c.file)).map((c) => c.file);
  if (absent.length > 0) t.log(`not on this host's kernel, not checked: ${absent.join(', ')}`);
  const resources: Resources = { memory: {}, pids: {}, cpu: {} };
  for (const c of present) c.set(resources);
  if (Object.keys(resources.pids).length === 0) delete (resources as Partial<Resources>).pids;
  const bundle = limitBundle(resources as LinuxResources, present.map((c) => `head -n 1 /sys/fs/cgroup/${c.file}`).join('; '));
  const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n'), present.map((c) => c.value));
});

maybe('a blkio weight on a v1 host without weight files is refused naming the file, as runc does', (t) => {
  if (version !== 1 || hostHasV1File('blkio/blkio.weight') || hostHasV1File('blkio/blkio.bfq.weight')) {
    t.pass('this host has a blkio weight file (checked above)');
    return;
  }
  const result = orch(root, ['run', '--bundle', limitBundle({ blockIO: { weight: 300 } }, 'true').dir, nextId()]);
  t.is(result.status, 1);
  t.regex(result.stderr, /blkio\.bfq\.weight/);
});

interface Resources {
  memory: Record<string, unknown>;
  pids: Record<string, unknown>;
  cpu: Record<string, unknown>;
  blockIO?: Record<string, unknown>;
}

maybe('hugepage limits and unified keys: written on v2, refused clearly where v1 cannot take them', (t) => {
  const resources = { hugepageLimits: [{ pageSize: '2MB', limit: 4 * 2 * MiB }], unified: { 'memory.high': String(48 * MiB) } };
  if (version === 2) {
    const bundle = limitBundle(resources, 'cat /sys/fs/cgroup/hugetlb.2MB.max /sys/fs/cgroup/memory.high', (spec) => {
      spec.linux = { ...spec.linux, namespaces: [...(spec.linux?.namespaces ?? []), { type: 'cgroup' }] };
    });
    const result = orch(root, ['run', '--bundle', bundle.dir, nextId()]);
    t.is(result.status, 0, result.stderr);
    t.deepEqual(result.stdout.trim().split('\n'), [String(8 * MiB), String(48 * MiB)]);
    return;
  }
  const unified = orch(root, ['run', '--bundle', limitBundle({ unified: resources.unified }, 'true').dir, nextId()]);
  t.regex(unified.stderr, /invalid configuration: cannot use unified on cgroup v1/);
  const hugetlbMounted = readdirSync('/sys/fs/cgroup').some((c) => c.split(',').includes('hugetlb'));
  const huge = orch(root, ['run', '--bundle', limitBundle({ hugepageLimits: resources.hugepageLimits }, 'true').dir, nextId()]);
  if (hugetlbMounted) t.is(huge.status, 0, huge.stderr);
  else t.regex(huge.stderr, /cgroup hugetlb: cannot set hugetlb limits: no cgroup v1 hierarchy with the hugetlb controller is mounted/);
});

maybe('a memory hog is OOM-killed and `events` reports the OOM', async (t) => {
  const id = nextId();
  const swap = version === 1 ? { swap: 32 * MiB } : {};
  // the hog starts once the test says so, so that `events` is watching by then
  const bundle = limitBundle({ memory: { limit: 32 * MiB, ...swap } }, 'while [ ! -e /tmp/go ]; do sleep 0.1; done; tail /dev/zero; echo "status=$?" > /tmp/result; sleep 3600');
  runDetached(t, bundle.dir, id);
  const events = watchEvents(root, ['--interval', '300ms', id]);
  await events.waitFor(/"type":"stats"/);
  writeFileSync(join(bundle.rootfs, 'tmp/go'), '');
  t.is((await waitForFile(bundle, '/tmp/result', /status=\d+/)).trim(), 'status=137', 'tail died of SIGKILL');
  t.deepEqual(JSON.parse(await events.waitFor(/"type":"oom"/)) as unknown, { type: 'oom', id });
  const stats = statsOf(root, id);
  t.is(stats.memory.usage?.limit, 32 * MiB);
  // deleting the container ends the event stream (its cgroup is gone, or empty)
  t.is(orch(root, ['delete', '--force', id]).status, 0);
  const ended = await Promise.race([events.done, sleep(30_000).then(() => undefined)]);
  t.is(ended?.status, 0, `events ended with the container: ${ended?.stderr ?? 'still running'}`);
  t.true(events.lines().every((l) => /^\{"type":"(stats|oom)","id":/.test(l)));
});

maybe('a fork bomb stops at pids.max', async (t) => {
  const id = nextId();
  // the init becomes `sleep`; a shell beside it forks sleeps until the kernel refuses one (and dies of it)
  const bomb = 'for i in $(seq 1 40); do sleep 3600 & done';
  const bundle = limitBundle({ pids: { limit: 10 } }, `sh -c '${bomb}' 2>/tmp/bomb.log & exec sleep 3600`);
  runDetached(t, bundle.dir, id);
  t.regex(await waitForFile(bundle, '/tmp/bomb.log', /can't fork/), /Resource temporarily unavailable/);
  // the init, 8 sleeps and the bomb's shell (which dies of the refused fork; its zombie, never
  // reaped by `sleep`, keeps its pid charged): 10, and no more
  const stats = statsOf(root, id);
  t.is(stats.pids.limit, 10);
  t.is(stats.pids.current, 10);
  const pids = JSON.parse(orch(root, ['ps', '--format', 'json', id]).stdout) as number[];
  t.true(pids.length >= 9 && pids.length <= 10, `${pids.length} processes`);
  t.is(orch(root, ['delete', '--force', id]).status, 0);
});

/**
 * CPU time the container used per wall-clock time, from a stream of stats events (one process,
 * so no CLI start-up falls inside the window): the usage between the first and the last of
 * `samples` events, over the time between their arrivals.
 */
async function cpuShare(id: string, samples: number): Promise<number> {
  const events = watchEvents(root, ['--interval', '250ms', id]);
  try {
    const deadline = Date.now() + 60_000;
    while (events.lines().length < samples && Date.now() < deadline) await sleep(50);
    const timed = events.timed();
    const first = timed[0];
    const last = timed[samples - 1];
    if (first === undefined || last === undefined) throw new Error(`only ${timed.length} stats events`);
    const usage = (e: { line: string }): number => (JSON.parse(e.line) as { data: { cpu: { usage?: { total?: number } } } }).data.cpu.usage?.total ?? 0;
    return (usage(last) - usage(first)) / ((last.at - first.at) * 1e6);
  } finally {
    events.stop();
  }
}

maybe('a cpu quota is measurable, and update changes it live', async (t) => {
  const id = nextId();
  const bundle = limitBundle({ cpu: { quota: 20000, period: 100000 } }, 'while :; do :; done');
  runDetached(t, bundle.dir, id);
  await sleep(300);
  const limited = await cpuShare(id, 9);
  t.log(`cpu used at quota 20%: ${(limited * 100).toFixed(1)}%`);
  // the bound that matters is the upper one: a busy host may give the container less, never more
  t.true(limited > 0.05 && limited < 0.3, `20% quota used ${limited.toFixed(3)} of a CPU`);
  t.true((statsOf(root, id).cpu.throttling?.throttledPeriods ?? 0) > 0, 'throttled');

  t.is(orch(root, ['update', '--cpu-quota', '60000', id]).status, 0);
  await sleep(300);
  const raised = await cpuShare(id, 9);
  t.log(`cpu used at quota 60%: ${(raised * 100).toFixed(1)}%`);
  t.true(raised > 0.3 && raised < 0.75, `60% quota used ${raised.toFixed(3)} of a CPU`);
  t.is(orch(root, ['delete', '--force', id]).status, 0);
});

maybe('update changes memory and pids limits, from flags, a file and stdin', (t) => {
  const id = nextId();
  const bundle = limitBundle({ memory: { limit: 64 * MiB }, pids: { limit: 20 } }, 'sleep 3600');
  runDetached(t, bundle.dir, id);

  t.is(orch(root, ['update', '--memory', '96m', '--pids-limit', '30', id]).status, 0);
  let stats = statsOf(root, id);
  t.is(stats.memory.usage?.limit, 96 * MiB);
  t.is(stats.pids.limit, 30);

  const file = join(bundle.dir, 'resources.json');
  writeFileSync(file, JSON.stringify({ memory: { limit: 80 * MiB }, pids: { limit: 25 } }));
  t.is(orch(root, ['update', '-r', file, id]).status, 0);
  stats = statsOf(root, id);
  t.is(stats.memory.usage?.limit, 80 * MiB);
  t.is(stats.pids.limit, 25);

  const piped = orch(root, ['update', '--resources=-', id], { input: JSON.stringify({ pids: { limit: 15 } }) });
  t.is(piped.status, 0, piped.stderr);
  t.is(statsOf(root, id).pids.limit, 15);
  t.is(statsOf(root, id).memory.usage?.limit, 80 * MiB, 'what the change leaves out keeps its value');

  const bad = orch(root, ['update', '-r', '-', id], { input: '{"memory":{"limit":"lots"}}' });
  t.is(bad.status, 1);
  t.regex(bad.stderr, /resources \(stdin\): memory\.limit: must be integer/);
  t.regex(orch(root, ['update', '-r', '/nonexistent.json', id]).stderr, /open \/nonexistent\.json: ENOENT/);
  // below the current usage: v1 refuses (EBUSY); v2 would reclaim and OOM-kill, unless asked to check first
  const tooLow =
    version === 1 ? orch(root, ['update', '--memory', '4096', id]) : orch(root, ['update', '-r', '-', id], { input: '{"memory":{"limit":4096,"checkBeforeUpdate":true}}' });
  t.is(tooLow.status, 1);
  t.regex(tooLow.stderr, version === 1 ? /unable to set memory limit to 4096 \(current usage: \d+, peak usage: \d+\)/ : /rejecting memory limit 4096 <= usage \d+/);
  t.is(statsOf(root, id).pids.limit, 15, 'a refused update changes nothing it was not asked to');
  t.is(orch(root, ['delete', '--force', id]).status, 0);
  const stopped = orch(root, ['update', '--memory', '1g', id]);
  t.regex(stopped.stderr, /container does not exist/);
});

maybe('pause freezes every process until resume', async (t) => {
  const id = nextId();
  const bundle = limitBundle({}, 'i=0; while :; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.05; done');
  runDetached(t, bundle.dir, id);
  await waitForFile(bundle, '/tmp/counter', /\d/);
  const counter = (): number => Number(readFileSync(join(bundle.rootfs, 'tmp/counter'), 'utf8').trim() || '0');

  t.is(orch(root, ['pause', id]).status, 0);
  t.is(statusOf(root, id), 'paused');
  const frozenAt = counter();
  await sleep(600);
  t.is(counter(), frozenAt, 'the counter stopped');
  const again = orch(root, ['pause', id]);
  t.is(again.status, 1);
  t.regex(again.stderr, /container not running/);

  t.is(orch(root, ['resume', id]).status, 0);
  t.is(statusOf(root, id), 'running');
  await sleep(600);
  t.true(counter() > frozenAt + 3, 'the counter runs again');
  const notPaused = orch(root, ['resume', id]);
  t.is(notPaused.status, 1);
  t.regex(notPaused.stderr, /container not paused/);

  // a paused container is deleted with --force (killed while frozen)
  t.is(orch(root, ['pause', id]).status, 0);
  t.is(orch(root, ['delete', '--force', id]).status, 0);
  t.is(statusOf(root, id), undefined);
});

maybe("ps shows the container's processes, as a table or JSON pids", (t) => {
  const id = nextId();
  const bundle = limitBundle({}, 'sleep 3601 & sleep 3602 & wait');
  runDetached(t, bundle.dir, id);
  const pids = JSON.parse(orch(root, ['ps', '--format', 'json', id]).stdout) as number[];
  t.is(pids.length, 3);
  const initPid = (JSON.parse(orch(root, ['state', id]).stdout) as { pid: number }).pid;
  t.true(pids.includes(initPid));
  const table = orch(root, ['ps', id]).stdout.split('\n').filter((l) => l !== '');
  t.regex(table[0] ?? '', /^UID\s+PID\s+PPID/);
  t.is(table.length, 4);
  t.true(table.some((l) => l.endsWith('sleep 3601')));
  const custom = orch(root, ['ps', id, '-o', 'pid,args']).stdout.split('\n').filter((l) => l !== '');
  t.regex(custom[0] ?? '', /^\s*PID\s+COMMAND/);
  t.true(custom.some((l) => /^\s*\d+ sleep 3602$/.test(l)));
  t.regex(orch(root, ['ps', '--format', 'yaml', id]).stderr, /invalid format option/);
  t.is(orch(root, ['delete', '--force', id]).status, 0);
});

maybe('devices: the defaults are usable, an unlisted device is not', (t) => {
  // /dev/loop0 exists in the container (linux.devices) but no rule allows it
  const node = { path: '/dev/loop0', type: 'b' as const, major: 7, minor: 0, fileMode: 0o660 };
  const script = 'echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c; head -c 1 /dev/loop0 2>&1; true';
  const denied = limitBundle({}, script, (spec) => {
    spec.linux = { ...spec.linux, devices: [node] };
  });
  const d = orch(root, ['run', '--bundle', denied.dir, nextId()]);
  t.is(d.status, 0, d.stderr);
  t.regex(d.stdout, /^4\n4\n.*Operation not permitted/s);

  const allowed = limitBundle({ devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'b', major: 7, minor: 0, access: 'r' }] }, script, (spec) => {
    spec.linux = { ...spec.linux, devices: [node] };
  });
  const a = orch(root, ['run', '--bundle', allowed.dir, nextId()]);
  t.is(a.status, 0, a.stderr);
  t.notRegex(a.stdout, /Operation not permitted/, 'the rule lets the open through to the driver');
});

maybe('a value the kernel refuses fails create with the file named, and leaves nothing behind', (t) => {
  const id = nextId();
  const parent = `orch-cgtest-${process.pid}`;
  // the kernel's minimum CFS quota is 1 ms
  const bundle = limitBundle({ cpu: { quota: 500, period: 100000 } }, 'true', (spec) => {
    spec.linux = { ...spec.linux, cgroupsPath: `/${parent}/${id}` };
  });
  const result = orch(root, ['create', '--bundle', bundle.dir, id]);
  t.is(result.status, 1);
  const file = version === 2 ? `/sys/fs/cgroup/${parent}/${id}/cpu.max` : `${parent}/${id}/cpu.cfs_quota_us`;
  t.true(result.stderr.includes(`cgroup cpu: write `) && result.stderr.includes(file) && result.stderr.includes(': invalid argument'), result.stderr);
  t.is(statusOf(root, id), undefined, 'no state');
  const dirs = version === 2 ? [`/sys/fs/cgroup/${parent}`] : readdirSync('/sys/fs/cgroup').map((c) => join('/sys/fs/cgroup', c, parent));
  for (const dir of dirs) {
    t.false(existsSync(join(dir, id)), `${dir}/${id} removed`);
    if (existsSync(dir)) rmdirSync(dir);
  }
});

maybe("delete removes the container's cgroup, the sub-cgroups made in it and the parents its create made", (t) => {
  const id = nextId();
  const parent = `orch-cgtest-${process.pid}`;
  const bundle = limitBundle({ pids: { limit: 5 } }, 'sleep 3600', (spec) => {
    spec.linux = { ...spec.linux, cgroupsPath: `/${parent}/${id}` };
  });
  runDetached(t, bundle.dir, id);
  const mounts = version === 2 ? ['/sys/fs/cgroup'] : ['/sys/fs/cgroup/pids', '/sys/fs/cgroup/memory', '/sys/fs/cgroup/freezer'];
  for (const m of mounts) mkdirSync(join(m, parent, id, 'child', 'grandchild'), { recursive: true });
  t.is(orch(root, ['delete', '--force', id]).status, 0);
  for (const m of mounts) t.false(existsSync(join(m, parent, id)), `${m}/${parent}/${id} removed`);
  // unlike runc, the parent level create made for the nested cgroupsPath goes too
  const hierarchies = version === 2 ? ['/sys/fs/cgroup'] : readdirSync('/sys/fs/cgroup').map((c) => join('/sys/fs/cgroup', c));
  for (const h of hierarchies) t.false(existsSync(join(h, parent)), `${h}/${parent} removed`);
});

maybe('events and update refuse a stopped container, as runc', async (t) => {
  const id = nextId();
  const bundle = limitBundle({}, 'true');
  runDetached(t, bundle.dir, id);
  for (let i = 0; i < 100 && statusOf(root, id) !== 'stopped'; i++) await sleep(50);
  t.regex(orch(root, ['events', '--stats', id]).stderr, new RegExp(`container with id ${id} is not running`));
  t.regex(orch(root, ['update', '--memory', '1g', id]).stderr, /container not running/);
  t.regex(orch(root, ['pause', id]).stderr, /container not running/);
  t.regex(orch(root, ['events', '--interval', '0s', id]).stderr, /duration interval must be greater than 0/);
  t.is(orch(root, ['delete', id]).status, 0);
});

test('the host has the cgroup version the run expects (ORCH_TEST_EXPECT_CGROUP, set by run-in-vm.sh)', (t) => {
  const want = process.env['ORCH_TEST_EXPECT_CGROUP'];
  if (want === undefined) return t.pass();
  t.is(String(hostCgroupVersion()), want);
});

test('insidePath names files by version', (t) => {
  t.is(insidePath(1, 'pids/pids.max', 'pids.max'), '/sys/fs/cgroup/pids/pids.max');
  t.is(insidePath(2, 'pids/pids.max', 'pids.max'), '/sys/fs/cgroup/pids.max');
});
