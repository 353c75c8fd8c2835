import test from 'ava';
import { readFileSync } from 'node:fs';
import { nextId, orchWrapped, probeBundle, runScript } from './helpers/containers.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';

test('uid, gid, additionalGids and umask are the ones configured', (t) => {
  const result = runScript('id; umask; touch /tmp/f; stat -c %a /tmp/f', (spec) => {
    spec.root!.readonly = false;
    spec.process!.user = { uid: 1000, gid: 1000, additionalGids: [5, 65534], umask: 0o027 };
  });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'uid=1000(user) gid=1000(user) groups=5(tty),65534(nogroup)\n0027\n640\n');
});

test('root keeps no supplementary group of the caller', (t) => {
  const bundle = probeBundle('id; grep ^Groups: /proc/self/status');
  const result = orchWrapped(['setpriv', '--groups', '4,27', '--'], ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout.split('\n')[0], 'uid=0(root) gid=0(root)');
  t.regex(result.stdout, /^Groups:\s*$/m);
});

test('HOME comes from the container passwd entry unless the config sets it; a repeated key keeps its last value', (t) => {
  const home = runScript('echo "$HOME"', (spec) => {
    spec.process!.user = { uid: 1000, gid: 1000 };
  });
  t.is(home.stdout, '/home/user\n', home.stderr);
  const unknownUid = runScript('echo "$HOME"', (spec) => {
    spec.process!.user = { uid: 4242, gid: 4242 };
  });
  t.is(unknownUid.stdout, '/\n', unknownUid.stderr);
  const given = runScript('echo "$HOME $A"', (spec) => {
    spec.process!.env = [...(spec.process!.env ?? []), 'HOME=/srv', 'A=1', 'A=2'];
  });
  t.is(given.stdout, '/srv 2\n', given.stderr);
});

test('noNewPrivileges sets the no_new_privs bit, and only then', (t) => {
  for (const noNewPrivileges of [true, false]) {
    const result = runScript('grep ^NoNewPrivs: /proc/self/status', (spec) => {
      spec.process!.noNewPrivileges = noNewPrivileges;
    });
    t.is(result.status, 0, result.stderr);
    t.regex(result.stdout, new RegExp(`^NoNewPrivs:\\s+${noNewPrivileges ? 1 : 0}$`, 'm'));
  }
});

test('every rlimit is set as configured, soft and hard', (t) => {
  const limits = {
    RLIMIT_NOFILE: [512, 1000],
    RLIMIT_NPROC: [300, 400],
    RLIMIT_CORE: [0, 4096],
    RLIMIT_STACK: [8388608, 16777216],
    RLIMIT_MEMLOCK: [65536, 65536],
    RLIMIT_MSGQUEUE: [819200, 819200],
    RLIMIT_SIGPENDING: [100, 200],
    RLIMIT_NICE: [0, 0],
    RLIMIT_RTPRIO: [0, 0],
    RLIMIT_CPU: [3600, 7200],
    RLIMIT_FSIZE: [1073741824, 2147483648],
    RLIMIT_LOCKS: [50, 60],
    RLIMIT_AS: [4294967296, 8589934592],
    RLIMIT_DATA: [4294967296, 8589934592],
    RLIMIT_RSS: [1073741824, 1073741824],
    RLIMIT_RTTIME: [1000000, 2000000],
  } as const;
  const result = runScript('cat /proc/self/limits; ulimit -Sn; ulimit -Hn', (spec) => {
    spec.process!.rlimits = Object.entries(limits).map(([type, [soft, hard]]) => ({ type, soft, hard }));
  });
  t.is(result.status, 0, result.stderr);
  // /proc/self/limits names them "Max open files" etc.; check each row's soft and hard numbers
  const rows: Record<string, string> = {
    RLIMIT_NOFILE: 'Max open files',
    RLIMIT_NPROC: 'Max processes',
    RLIMIT_CORE: 'Max core file size',
    RLIMIT_STACK: 'Max stack size',
    RLIMIT_MEMLOCK: 'Max locked memory',
    RLIMIT_MSGQUEUE: 'Max msgqueue size',
    RLIMIT_SIGPENDING: 'Max pending signals',
    RLIMIT_NICE: 'Max nice priority',
    RLIMIT_RTPRIO: 'Max realtime priority',
    RLIMIT_CPU: 'Max cpu time',
    RLIMIT_FSIZE: 'Max file size',
    RLIMIT_LOCKS: 'Max file locks',
    RLIMIT_AS: 'Max address space',
    RLIMIT_DATA: 'Max data size',
    RLIMIT_RSS: 'Max resident set',
    RLIMIT_RTTIME: 'Max realtime timeout',
  };
  for (const [type, [soft, hard]] of Object.entries(limits)) {
    const row = result.stdout.split('\n').find((line) => line.startsWith(rows[type]!));
    t.regex(row ?? '', new RegExp(`^${rows[type]}\\s+${soft}\\s+${hard}\\b`), type);
  }
  t.true(result.stdout.endsWith('512\n1000\n'));
});

test('an unknown rlimit type fails create', (t) => {
  const result = runScript('true', (spec) => {
    spec.process!.rlimits = [{ type: 'RLIMIT_NOPE', soft: 1, hard: 1 }];
  });
  t.is(result.status, 1);
  t.regex(result.stderr, /unknown rlimit type \\?"RLIMIT_NOPE\\?"/);
});

test('oomScoreAdj is the process oom_score_adj', (t) => {
  const result = runScript('cat /proc/self/oom_score_adj', (spec) => {
    spec.process!.oomScoreAdj = 321;
  });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, '321\n');
});

test('the process gets a new session keyring named after the container, unless --no-new-keyring', (t) => {
  const fresh = runScript('syscall-probe session-keyring');
  t.is(fresh.status, 0, fresh.stderr);
  // type;uid;gid;perm;description, searchable by its user (0x00080000)
  const [type, uid, , perm, name] = fresh.stdout.trim().replace(/^session-keyring /, '').split(';');
  t.is(type, 'keyring');
  t.is(uid, '0');
  t.is(name, `_ses.${fresh.id}`);
  t.true((parseInt(perm ?? '0', 16) & 0x00080000) !== 0, perm);
  const inherited = runScript('syscall-probe session-keyring', undefined, ['--no-new-keyring']);
  t.is(inherited.status, 0, inherited.stderr);
  t.notRegex(inherited.stdout, /_ses\.sec-/);
});

test('apparmorProfile on a host without AppArmor is a clear error, not an unconfined container', (t) => {
  const result = runScript('true', (spec) => {
    spec.process!.apparmorProfile = 'orch-test-profile';
  });
  t.is(result.status, 1);
  t.regex(result.stderr, /process\.apparmorProfile \\?"orch-test-profile\\?": AppArmor is not enabled on this host/);
});

test('selinuxLabel on a host without SELinux is a clear error', (t) => {
  const result = runScript('true', (spec) => {
    spec.process!.selinuxLabel = 'system_u:system_r:container_t:s0';
  });
  t.is(result.status, 1);
  t.regex(result.stderr, /selinuxLabel.*SELinux is disabled or not supported/);
});

test('personality: LINUX32 changes the machine uname reports, flags are applied, unknown flags fail', (t) => {
  const result = runScript('uname -m; cat /proc/self/personality', (spec) => {
    spec.linux!.personality = { domain: 'LINUX32', flags: ['ADDR_NO_RANDOMIZE'] };
  });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'i686\n00040008\n');
  const plain = runScript('uname -m; cat /proc/self/personality', (spec) => {
    spec.linux!.personality = { domain: 'LINUX' };
  });
  t.is(plain.stdout, 'x86_64\n00000000\n', plain.stderr);
  const bad = runScript('true', (spec) => {
    spec.linux!.personality = { domain: 'LINUX', flags: ['NO_SUCH_FLAG'] };
  });
  t.is(bad.status, 1);
  t.regex(bad.stderr, /linux\.personality\.flags\[0\]: unknown flag/);
});

test('ioPriority sets the I/O scheduling class and level', (t) => {
  const result = runScript('ionice -p $$', (spec) => {
    spec.process!.ioPriority = { class: 'IOPRIO_CLASS_BE', priority: 6 };
  });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'best-effort: prio 6\n');
  const idle = runScript('ionice -p $$', (spec) => {
    spec.process!.ioPriority = { class: 'IOPRIO_CLASS_IDLE', priority: 0 };
  });
  t.is(idle.stdout, 'idle\n', idle.stderr);
});

test('scheduler sets the policy and nice value with sched_setattr', (t) => {
  // /proc/self/stat: field 19 is nice, field 41 the policy (3 SCHED_BATCH, 5 SCHED_IDLE)
  const fields = "awk '{print $19, $41}' /proc/self/stat";
  const batch = runScript(fields, (spec) => {
    spec.process!.scheduler = { policy: 'SCHED_BATCH', nice: 7 };
  });
  t.is(batch.status, 0, batch.stderr);
  t.is(batch.stdout, '7 3\n');
  // "; true": the shell forks awk instead of exec'ing it
  const reset = runScript("awk '{print $19, $41}' /proc/1/stat /proc/self/stat; true", (spec) => {
    spec.process!.scheduler = { policy: 'SCHED_BATCH', nice: -5, flags: ['SCHED_FLAG_RESET_ON_FORK'] };
  });
  t.is(reset.status, 0, reset.stderr);
  // pid 1 (the shell) has nice -5; with RESET_ON_FORK its child awk is back to nice 0
  t.is(reset.stdout, '-5 3\n0 3\n');
});

test('execCPUAffinity lists are checked at create; the init does not keep the caller affinity', (t) => {
  const bad = runScript('true', (spec) => {
    spec.process!.execCPUAffinity = { initial: '3-1' };
  });
  t.is(bad.status, 1);
  t.regex(bad.stderr, /process\.execCPUAffinity\.initial: must be a CPU list such as .*backward range \\?"3-1\\?"/);
  // orch pinned to CPU 0 (as under `taskset -c 0`): the container may use every CPU its cgroup has
  const bundle = probeBundle('grep ^Cpus_allowed_list: /proc/self/status');
  const pinned = orchWrapped(['taskset', '-c', '0'], ['run', '--bundle', bundle.dir, nextId()]);
  t.is(pinned.status, 0, pinned.stderr);
  const all = `0-${availableCpus() - 1}`;
  t.is(pinned.stdout.trim().split(/\s+/)[1], availableCpus() === 1 ? '0' : all);
});

function availableCpus(): number {
  return Number(/^Cpus_allowed_list:\s*\d+-(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) + 1;
}

const numa = (() => {
  try {
    readFileSync('/proc/self/numa_maps', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

(numa ? test : test.skip)('linux.memoryPolicy is the process policy (numa_maps), for exec\'d processes too; a node this host lacks is refused', (t) => {
  // numa_maps prints the task's policy for every mapping without one of its own
  const policy = (memoryPolicy: NonNullable<NonNullable<Spec['linux']>['memoryPolicy']>): string => {
    const run = runScript('head -n 1 /proc/self/numa_maps | cut -d" " -f2', (spec) => {
      spec.linux!.memoryPolicy = memoryPolicy;
    });
    t.is(run.status, 0, run.stderr);
    return run.stdout.trim();
  };
  t.is(policy({ mode: 'MPOL_BIND', nodes: '0' }), 'bind:0');
  t.is(policy({ mode: 'MPOL_INTERLEAVE', nodes: '0' }), 'interleave:0');
  t.is(policy({ mode: 'MPOL_PREFERRED', nodes: '0', flags: ['MPOL_F_STATIC_NODES'] }), 'prefer=static:0');
  t.is(policy({ mode: 'MPOL_LOCAL' }), 'local');
  t.is(policy({ mode: 'MPOL_DEFAULT' }), 'default');

  const nodes = readFileSync('/sys/devices/system/node/possible', 'utf8').trim();
  const beyond = Number(/(\d+)$/.exec(nodes)?.[1] ?? 0) + 1;
  const refused = runScript('true', (spec) => {
    spec.linux!.memoryPolicy = { mode: 'MPOL_BIND', nodes: String(beyond) };
  });
  t.is(refused.status, 1);
  t.regex(refused.stderr, new RegExp(`linux\\.memoryPolicy\\.nodes: names node ${beyond}, but this host has nodes 0-\\d+ only`));
});
