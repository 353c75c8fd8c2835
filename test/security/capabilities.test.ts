import test from 'ava';
import { readFileSync } from 'node:fs';
import { orch } from '../support/orch-cli.js';
import { CAP, capMasks, maskOf, nextId, orchWrapped, probeBundle, runScript, stateRoot } from './helpers/containers.js';

const STATUS = 'grep -E "^Cap" /proc/self/status';

test('the process has exactly the configured bounding, effective, permitted, inheritable and ambient sets', (t) => {
  const result = runScript(STATUS, (spec) => {
    spec.process!.capabilities = {
      bounding: ['CAP_KILL', 'CAP_CHOWN', 'CAP_NET_BIND_SERVICE', 'CAP_SETPCAP'],
      effective: ['CAP_KILL', 'CAP_CHOWN'],
      permitted: ['CAP_KILL', 'CAP_CHOWN', 'CAP_NET_BIND_SERVICE'],
      inheritable: ['CAP_KILL'],
      ambient: ['CAP_KILL'],
    };
  });
  t.is(result.status, 0, result.stderr);
  const caps = capMasks(result.stdout);
  t.is(caps.CapBnd, maskOf(CAP.KILL, CAP.CHOWN, CAP.NET_BIND_SERVICE, CAP.SETPCAP));
  t.is(caps.CapPrm, maskOf(CAP.KILL, CAP.CHOWN, CAP.NET_BIND_SERVICE));
  // The kernel's rule for uid 0: execve makes the effective set the whole permitted set.
  t.is(caps.CapEff, caps.CapPrm);
  t.is(caps.CapInh, maskOf(CAP.KILL));
  t.is(caps.CapAmb, maskOf(CAP.KILL));
});

test('without process.capabilities a root process has no capability at all (as runc)', (t) => {
  const result = runScript(STATUS, (spec) => {
    delete spec.process!.capabilities;
  });
  t.is(result.status, 0, result.stderr);
  const caps = capMasks(result.stdout);
  t.deepEqual(caps, { CapInh: 0n, CapPrm: 0n, CapEff: 0n, CapBnd: 0n, CapAmb: 0n });
});

test("the default config leaves the process runc's three default capabilities and no ambient ones", (t) => {
  // runc's spec lists ambient caps without inheritable ones: the kernel cannot raise those
  const result = runScript(STATUS);
  t.is(result.status, 0, result.stderr);
  const caps = capMasks(result.stdout);
  const three = maskOf(CAP.AUDIT_WRITE, CAP.KILL, CAP.NET_BIND_SERVICE);
  t.deepEqual(caps, { CapInh: 0n, CapPrm: three, CapEff: three, CapBnd: three, CapAmb: 0n });
});

test('inheritable and ambient capabilities of the caller never reach the container (CVE-2022-29162)', (t) => {
  // orch itself runs with CAP_KILL and CAP_CHOWN inheritable and CAP_KILL ambient
  const bundle = probeBundle(STATUS);
  const result = orchWrapped(['setpriv', '--inh-caps', '+kill,+chown', '--ambient-caps', '+kill', '--'], ['run', '--bundle', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  const caps = capMasks(result.stdout);
  t.is(caps.CapInh, 0n);
  t.is(caps.CapAmb, 0n);
});

test('ambient capabilities give a non-root user its effective set across execve', (t) => {
  const result = runScript(`id -u; ${STATUS}`, (spec) => {
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.process!.capabilities = {
      bounding: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      effective: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      permitted: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      inheritable: ['CAP_NET_BIND_SERVICE'],
      ambient: ['CAP_NET_BIND_SERVICE'],
    };
  });
  t.is(result.status, 0, result.stderr);
  t.true(result.stdout.startsWith('1000\n'));
  const caps = capMasks(result.stdout);
  // Only the ambient one survives the exec of a non-root, non-setuid program.
  t.is(caps.CapEff, maskOf(CAP.NET_BIND_SERVICE));
  t.is(caps.CapPrm, maskOf(CAP.NET_BIND_SERVICE));
  t.is(caps.CapAmb, maskOf(CAP.NET_BIND_SERVICE));
});

test('a non-root user without capabilities cannot use what root could', (t) => {
  const result = runScript('syscall-probe setuid chroot; grep ^CapEff /proc/self/status', (spec) => {
    spec.process!.user = { uid: 1000, gid: 1000 };
  });
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /^setuid EPERM$/m);
  t.regex(result.stdout, /^chroot EPERM$/m);
  t.regex(result.stdout, /^CapEff:\s+0+$/m);
});

test('a name that is no capability fails create, naming the set and the name', (t) => {
  for (const name of ['CAP_TEST', 'cap_kill', 'KILL']) {
    const result = runScript('true', (spec) => {
      spec.process!.capabilities!.bounding = [...(spec.process!.capabilities!.bounding ?? []), name];
    });
    t.is(result.status, 1, name);
    t.regex(result.stderr, new RegExp(`process\\.capabilities\\.bounding\\[3\\]: unknown capability \\\\?"${name}\\\\?"`));
  }
});

test('a created container init holds exactly the configured sets before it execs', (t) => {
  // Read from the host while the init waits on the exec fifo: the kernel's execve rules have
  // not yet touched the sets the init set up.
  const bundle = probeBundle('true', (spec) => {
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.process!.capabilities = {
      bounding: ['CAP_KILL', 'CAP_CHOWN', 'CAP_NET_BIND_SERVICE'],
      effective: ['CAP_KILL'],
      permitted: ['CAP_KILL', 'CAP_CHOWN'],
      inheritable: ['CAP_CHOWN'],
    };
  });
  const id = nextId();
  const created = orch(stateRoot, ['create', '--bundle', bundle.dir, id]);
  t.is(created.status, 0, created.stderr);
  try {
    const pid = (JSON.parse(orch(stateRoot, ['state', id]).stdout) as { pid: number }).pid;
    const caps = capMasks(readFileSync(`/proc/${pid}/status`, 'utf8'));
    t.deepEqual(caps, {
      CapBnd: maskOf(CAP.KILL, CAP.CHOWN, CAP.NET_BIND_SERVICE),
      CapEff: maskOf(CAP.KILL),
      CapPrm: maskOf(CAP.KILL, CAP.CHOWN),
      CapInh: maskOf(CAP.CHOWN),
      CapAmb: 0n,
    });
  } finally {
    orch(stateRoot, ['delete', '--force', id]);
  }
});
