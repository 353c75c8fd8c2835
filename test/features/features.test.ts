import test from 'ava';
import { readFileSync } from 'node:fs';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';
import type { Features } from '../../orchestrator/src/api/features.js';
import type { NamespaceType, SeccompAction } from '../../orchestrator/src/config/spec-types.js';

const root = makeRoot();
let serial = 0;
const nextId = (): string => `features-${process.pid}-${++serial}`;

function features(): Features {
  const result = orch(root, ['features']);
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Features;
}

test('features prints runtime-spec features JSON as runc does: four-space indent, one newline', (t) => {
  const result = orch(root, ['features']);
  t.is(result.status, 0, result.stderr);
  t.true(result.stdout.startsWith('{\n    "ociVersionMin": "1.0.0",\n    "ociVersionMax": "1.3.0",\n'));
  t.true(result.stdout.endsWith('}\n'));
  const f = JSON.parse(result.stdout) as Features;
  t.deepEqual(f.hooks, ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']);
  // what containerd's CRI looks for
  t.true(f.mountOptions.includes('rro'));
  t.true(f.linux.namespaces.includes('user'));
  t.true(f.linux.mountExtensions.idmap.enabled);
  t.regex(f.annotations['io.github.seccomp.libseccomp.version'] ?? '', /^\d+\.\d+\.\d+$/);
  t.true(f.linux.cgroup.systemd);
  t.true(f.linux.intelRdt.enabled);
  // runc 1.4's additions
  t.deepEqual(f.potentiallyUnsafeConfigAnnotations, ['org.systemd.property.', 'org.criu.config']);
  t.true(f.linux.memoryPolicy.modes.includes('MPOL_BIND'));
  t.deepEqual(f.linux.memoryPolicy.flags, ['MPOL_F_NUMA_BALANCING', 'MPOL_F_RELATIVE_NODES', 'MPOL_F_STATIC_NODES']);
  const extra = orch(root, ['features', 'extra']);
  t.is(extra.status, 1);
  t.regex(extra.stderr, /requires exactly 0 argument/);
});

test('every namespace features lists can be created in one container', (t) => {
  const { linux } = features();
  const bundle = makeBundle(['true'], (spec) => {
    spec.linux!.namespaces = linux.namespaces.map((type) => ({ type: type as NamespaceType }));
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 400000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 400000, size: 65536 }];
  });
  const result = orch(root, ['run', '-b', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
});

test('every capability features lists can be granted, and the process holds them all', (t) => {
  const { linux } = features();
  // This host's bounding set lacks CAP_SYS_RESOURCE: nobody can hold what the host has not got.
  // The bounding set takes every name; the other sets those this test itself holds.
  const host = BigInt(`0x${/CapEff:\t(\w+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]}`);
  const held = linux.capabilities.filter((_, bit) => (host >> BigInt(bit)) & 1n);
  const bundle = makeBundle(['grep', '-E', '^Cap(Bnd|Eff)', '/proc/self/status'], (spec) => {
    spec.process!.capabilities = { bounding: linux.capabilities, effective: held, permitted: held };
  });
  const result = orch(root, ['run', '-b', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  const [bnd, eff] = result.stdout.trim().split('\n').map((line) => BigInt(`0x${line.split('\t')[1]}`));
  const all = 2n ** BigInt(linux.capabilities.length) - 1n;
  t.is(bnd, all & host);
  t.is(eff, all & host);
});

test('every seccomp action and operator features lists is taken in a filter', (t) => {
  const { linux } = features();
  // one rule per action on a syscall nothing here makes; the operators on its arguments
  const unused = ['acct', 'swapon', 'swapoff', 'reboot', 'kexec_load', 'init_module', 'delete_module', 'pivot_root', 'vhangup'];
  const bundle = makeBundle(['echo', 'filtered'], (spec) => {
    spec.linux!.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: linux.seccomp.archs as NonNullable<NonNullable<typeof spec.linux>['seccomp']>['architectures'],
      syscalls: [
        ...linux.seccomp.actions
          .filter((action) => action !== 'SCMP_ACT_NOTIFY' && action !== 'SCMP_ACT_ALLOW')
          .map((action, i) => ({ names: [unused[i] as string], action: action as SeccompAction })),
        ...linux.seccomp.operators.map((op, i) => ({
          names: ['personality'],
          action: 'SCMP_ACT_ERRNO' as SeccompAction,
          args: [{ index: 0, value: 0xdead0000 + i, valueTwo: op === 'SCMP_CMP_MASKED_EQ' ? 0xffffffff : 0, op: op as 'SCMP_CMP_EQ' }],
        })),
      ],
    };
  });
  const result = orch(root, ['run', '-b', bundle.dir, nextId()]);
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, 'filtered\n');
});
