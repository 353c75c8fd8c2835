import test from 'ava';
import { execFileSync } from 'node:child_process';
import type { Seccomp } from '../../orchestrator/src/config/spec-types.js';
import { mobyDefaultSeccomp, probeResults, runScript } from './helpers/containers.js';

const allowAllBut = (rules: Seccomp['syscalls']): Seccomp => ({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: rules });

test("Docker's default profile loads and blocks what a container without CAP_SYS_ADMIN must not do", (t) => {
  const result = runScript(
    'grep ^Seccomp: /proc/self/status; syscall-probe keyctl add_key unshare-user unshare-net mount clone-newns clone3 personality-bsd socket-vsock clone personality-query getcwd uname socket-unix; unshare -U true; echo unshare=$?',
    (spec) => {
      spec.linux!.seccomp = mobyDefaultSeccomp();
    },
  );
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /^Seccomp:\s+2$/m); // filter mode
  const got = probeResults(result.stdout);
  for (const name of ['keyctl', 'add_key', 'unshare-user', 'unshare-net', 'mount', 'clone-newns', 'personality-bsd', 'socket-vsock']) {
    t.is(got[name], 'EPERM', name);
  }
  t.is(got['clone3'], 'ENOSYS'); // so libc falls back to clone, which the profile can inspect
  for (const name of ['clone', 'personality-query', 'getcwd', 'uname', 'socket-unix']) t.is(got[name], 'ok', name);
  t.regex(result.stdout, /^unshare=1$/m);
  t.regex(result.stderr, /unshare\(0x10000000\): Operation not permitted/);
});

test('defaultErrnoRet is the errno of the default action', (t) => {
  const result = runScript('syscall-probe keyctl uname', (spec) => {
    spec.linux!.seccomp = { ...mobyDefaultSeccomp(), defaultErrnoRet: 38 };
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { keyctl: 'ENOSYS', uname: 'ok' });
});

test('SCMP_ACT_ERRNO returns errnoRet, or EPERM without one', (t) => {
  const result = runScript('syscall-probe uname getcwd mount', (spec) => {
    spec.linux!.seccomp = allowAllBut([
      { names: ['uname'], action: 'SCMP_ACT_ERRNO', errnoRet: 99 },
      { names: ['getcwd', 'mount'], action: 'SCMP_ACT_ERRNO' },
    ]);
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { uname: 'EADDRNOTAVAIL', getcwd: 'EPERM', mount: 'EPERM' });
});

for (const action of ['SCMP_ACT_KILL', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_TRAP'] as const) {
  test(`${action} ends the caller with SIGSYS before the call returns`, (t) => {
    const result = runScript('syscall-probe getcwd; syscall-probe socket-unix; echo status=$?', (spec) => {
      spec.linux!.seccomp = allowAllBut([{ names: ['socket'], action }]);
    });
    t.is(result.status, 0, result.stderr);
    t.is(result.stdout, 'getcwd ok\nstatus=159\n'); // 128 + SIGSYS, and no "socket-unix" line
  });
}

test('SCMP_ACT_TRACE without a tracer fails the call with ENOSYS; SCMP_ACT_LOG and SCMP_ACT_ALLOW let it through', (t) => {
  const result = runScript('syscall-probe uname getcwd socket-unix', (spec) => {
    spec.linux!.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['uname'], action: 'SCMP_ACT_TRACE' },
        { names: ['getcwd'], action: 'SCMP_ACT_LOG' },
      ],
    };
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { uname: 'ENOSYS', getcwd: 'ok', 'socket-unix': 'ok' });
});

test('argument comparisons decide which calls a rule matches', (t) => {
  const result = runScript('syscall-probe personality-query personality-bsd clone clone-newns', (spec) => {
    spec.linux!.seccomp = allowAllBut([
      // personality(0xffffffff) only queries: everything else is refused
      { names: ['personality'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 0xffffffff, op: 'SCMP_CMP_NE' }] },
      // clone with CLONE_NEWNS in its flags
      { names: ['clone'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [{ index: 0, value: 0x20000, valueTwo: 0x20000, op: 'SCMP_CMP_MASKED_EQ' }] },
    ]);
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { 'personality-query': 'ok', 'personality-bsd': 'EPERM', clone: 'ok', 'clone-newns': 'EACCES' });
});

test('two conditions on one argument each match on their own (as runc)', (t) => {
  const result = runScript('syscall-probe personality-query personality-bsd', (spec) => {
    spec.linux!.seccomp = allowAllBut([
      {
        names: ['personality'],
        action: 'SCMP_ACT_ERRNO',
        args: [
          { index: 0, value: 6, op: 'SCMP_CMP_EQ' }, // PER_BSD
          { index: 0, value: 0xffffffff, op: 'SCMP_CMP_EQ' },
        ],
      },
    ]);
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { 'personality-query': 'EPERM', 'personality-bsd': 'EPERM' });
});

test('syscall names this kernel does not know are skipped, not an error (as runc)', (t) => {
  const result = runScript('syscall-probe uname', (spec) => {
    spec.linux!.seccomp = allowAllBut([{ names: ['no_such_syscall', 'uname'], action: 'SCMP_ACT_ERRNO' }]);
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { uname: 'EPERM' });
});

test('flags: LOG and SPEC_ALLOW load, an unknown or unsupported flag fails create', (t) => {
  const ok = runScript('grep ^Seccomp: /proc/self/status', (spec) => {
    spec.linux!.seccomp = { ...allowAllBut([{ names: ['uname'], action: 'SCMP_ACT_ERRNO' }]), flags: ['SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_TSYNC'] };
  });
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stdout, /^Seccomp:\s+2$/m);
  const waitKill = runScript('true', (spec) => {
    spec.linux!.seccomp = { ...allowAllBut([{ names: ['uname'], action: 'SCMP_ACT_ERRNO' }]), flags: ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'] };
  });
  // libseccomp 2.5 has no attribute for it (2.6 does): a clear refusal, never a filter without it
  const [major = 0, minor = 0] = execFileSync('pkg-config', ['--modversion', 'libseccomp'], { encoding: 'utf8' }).trim().split('.').map(Number);
  if (major > 2 || (major === 2 && minor >= 6)) {
    t.is(waitKill.status, 0, waitKill.stderr);
  } else {
    t.is(waitKill.status, 1);
    t.regex(waitKill.stderr, /linux\.seccomp\.flags SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs libseccomp 2\.6/);
  }
});

test('an architecture this libseccomp does not know fails create', (t) => {
  const result = runScript('true', (spec) => {
    spec.linux!.seccomp = { ...allowAllBut([{ names: ['uname'], action: 'SCMP_ACT_ERRNO' }]), architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_SHEB'] };
  });
  t.is(result.status, 1);
  t.regex(result.stderr, /linux\.seccomp\.architectures\[1\]: \\?"SCMP_ARCH_SHEB\\?" is not an architecture this libseccomp knows/);
});

test('without noNewPrivileges the filter is loaded while the init is still privileged, and holds for a user without capabilities', (t) => {
  const result = runScript('grep -E "^(NoNewPrivs|Seccomp|CapEff):" /proc/self/status; syscall-probe uname', (spec) => {
    spec.process!.noNewPrivileges = false;
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.linux!.seccomp = allowAllBut([{ names: ['uname'], action: 'SCMP_ACT_ERRNO' }]);
  });
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /^NoNewPrivs:\s+0$/m);
  t.regex(result.stdout, /^Seccomp:\s+2$/m);
  t.regex(result.stdout, /^CapEff:\s+0+$/m);
  t.regex(result.stdout, /^uname EPERM$/m);
});

test('with noNewPrivileges the filter comes last: a profile refusing the calls of the user switch still starts', (t) => {
  const refused = ['setresuid', 'setresgid', 'setgroups', 'capset', 'prctl', 'chdir', 'getcwd', 'keyctl', 'sched_setaffinity', 'setuid'];
  const result = runScript('id -u; syscall-probe setuid getcwd', (spec) => {
    spec.process!.noNewPrivileges = true;
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.linux!.seccomp = allowAllBut([{ names: refused, action: 'SCMP_ACT_ERRNO' }]);
  });
  t.is(result.status, 0, result.stderr);
  t.true(result.stdout.startsWith('1000\n'));
  t.deepEqual(probeResults(result.stdout.split('\n').slice(1).join('\n')), { setuid: 'EPERM', getcwd: 'EPERM' });
});

test('a profile that refuses getcwd does not stop the container from starting (runtime-tools linux_seccomp)', (t) => {
  const result = runScript('syscall-probe getcwd uname', (spec) => {
    spec.process!.noNewPrivileges = false;
    spec.linux!.seccomp = allowAllBut([{ names: ['getcwd'], action: 'SCMP_ACT_ERRNO' }]);
  });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(probeResults(result.stdout), { getcwd: 'EPERM', uname: 'ok' });
});

test('syscalls newer than any the profile names answer ENOSYS, not the default errno (runc -ENOSYS stub)', (t) => {
  // Docker's profile as it was before these syscalls existed: its newest is rseq (x86-64: 334)
  const newer = new Set(['pidfd_send_signal', 'pidfd_open', 'clone3', 'close_range', 'openat2', 'faccessat2', 'epoll_pwait2', 'landlock_add_rule', 'landlock_create_ruleset', 'landlock_restrict_self', 'memfd_secret', 'process_mrelease', 'futex_waitv', 'cachestat', 'fchmodat2', 'map_shadow_stack', 'futex_wake', 'futex_wait', 'futex_requeue']);
  const old = mobyDefaultSeccomp();
  old.syscalls = old.syscalls!.filter((rule) => !rule.names.includes('clone3')).map((rule) => ({ ...rule, names: rule.names.filter((name) => !newer.has(name)) }));
  const result = runScript('syscall-probe clone3 unshare-user keyctl clone uname', (spec) => {
    spec.linux!.seccomp = old;
  });
  t.is(result.status, 0, result.stderr);
  // clone3 (435) is newer than rseq: ENOSYS, so libc falls back to clone; unshare (272) and
  // keyctl (250) are older, simply not allowed: the default EPERM
  t.deepEqual(probeResults(result.stdout), { clone3: 'ENOSYS', 'unshare-user': 'EPERM', keyctl: 'EPERM', clone: 'ok', uname: 'ok' });
});
