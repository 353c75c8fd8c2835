/**
 * What `orch spec` writes: runc 1.1's `runc spec` (and `runc spec --rootless`) field for field and
 * in the same key order, with ociVersion set to the runtime-spec version orch's schema targets.
 */
import { OCI_VERSION } from './schema.js';
import type { Mount, Spec } from './spec-types.js';

const CAPABILITIES = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

/** A fresh (mutable) copy on every call. */
export function defaultSpec(): Spec {
  return {
    ociVersion: OCI_VERSION,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: {
        bounding: [...CAPABILITIES],
        effective: [...CAPABILITIES],
        permitted: [...CAPABILITIES],
        ambient: [...CAPABILITIES],
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'runc',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
    ],
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

/**
 * `runc spec --rootless` (runc's specconv.ToRootless): no network namespace, a user namespace
 * mapping container root to the caller's effective uid/gid, /sys bind-mounted from the host (a
 * new sysfs needs a network namespace we own), no uid=/gid= mount options, no cgroup resources.
 */
export function rootlessSpec(ids: { uid: number; gid: number } = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 }): Spec {
  const spec = defaultSpec();
  const linux = spec.linux ?? {};
  const namespaces = (linux.namespaces ?? []).filter((ns) => ns.type !== 'network' && ns.type !== 'user');
  const mounts = (spec.mounts ?? []).map((mount): Mount => {
    if (mount.destination === '/sys') {
      return { destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] };
    }
    if (!mount.options) return mount;
    return { ...mount, options: mount.options.filter((o) => !o.startsWith('gid=') && !o.startsWith('uid=')) };
  });
  // Key order as runc prints it: the mappings come before namespaces in its struct.
  const { resources: _dropped, namespaces: _old, ...rest } = linux;
  return {
    ...spec,
    mounts,
    linux: {
      uidMappings: [{ containerID: 0, hostID: ids.uid, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: ids.gid, size: 1 }],
      namespaces: [...namespaces, { type: 'user' }],
      ...rest,
    },
  };
}
