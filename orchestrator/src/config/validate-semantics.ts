/**
 * The checks runc makes on a config beyond its JSON shape (runc's validateProcessSpec, specconv and
 * libcontainer/configs/validate), for a config that already passed the schema. The first problem
 * throws OrchError('invalid-config', 'config.json: <field path>: <reason>').
 *
 * Left to the code that uses the fields: rootfs existence and symlinks, cgroup v1/v2 specifics,
 * Intel RDT availability, seccomp rule details, and bind-mount data options.
 */
import { closeSync, openSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { highestId, parseIdList } from '../cgroups/cpu-list.js';
import { posix } from 'node:path';
import { writeStderr } from '../log/std-write.js';
import { invalidConfig, shown, type PathSegment } from './config-error.js';
import type { LinuxNamespace, NamespaceType, Spec } from './spec-types.js';
import { canonicalSysctlKey, sysctlNamespace } from './sysctl-key.js';
import { NAMESPACES } from '../protocol/protocol.js';

/** What the checks ask of the host; tests may replace it. */
export interface HostProbe {
  /** the path exists (kernel feature files under /proc and /sys) */
  exists(path: string): boolean;
  /** dev/inode of the file, or an errno name such as ENOENT */
  identity(path: string): { dev: number; ino: number } | string;
  /** effective uid of orch (non-zero: rootless, as runc's RootlessEUID) */
  euid(): number;
  /** the /proc/PID/ns name ("net", "mnt" …) of the namespace file at path, or an errno name */
  namespaceKind(path: string): { kind: string } | string;
  /** how many CPUs or memory nodes the kernel could ever have here (ids 0 .. n-1) */
  possible(kind: 'cpu' | 'node'): number;
}

export interface SemanticOptions {
  /** create/run need a process with args (default true) */
  requireProcess?: boolean;
  /** --no-pivot was given: a private rootfs propagation is then unsafe, as runc says */
  noPivot?: boolean;
  /** problems runc only warns about (default: a line on stderr) */
  warn?: (message: string) => void;
  host?: HostProbe;
}

export const hostProbe: HostProbe = {
  exists(path) {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  },
  identity(path) {
    try {
      const st = statSync(path);
      return { dev: st.dev, ino: st.ino };
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    }
  },
  euid: () => process.geteuid?.() ?? 0,
  namespaceKind(path) {
    // An nsfs file's fd links to "net:[4026531840]" (ns bind mounts are no symlinks themselves).
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      const m = /^(\w+):\[\d+\]$/.exec(link);
      return m?.[1] ? { kind: m[1] } : 'not a namespace file';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
  possible(kind) {
    try {
      const ranges = parseIdList(readFileSync(`/sys/devices/system/${kind}/possible`, 'utf8').trim(), { stride: false });
      if (typeof ranges !== 'string') return highestId(ranges) + 1;
    } catch {
      // no such file: a kernel without NUMA has node 0 only; CPUs are then not bounded here
    }
    return kind === 'node' ? 1 : 65536;
  },
};

const defaultWarn = (message: string): void => {
  writeStderr(`orch: warning: ${message}\n`);
};

type Namespaces = Map<NamespaceType, { index: number; ns: LinuxNamespace }>;

/** Checks `spec` in place; relative mount destinations are rewritten as relative to / (with a warning). */
export function validateSemantics(spec: Spec, options: SemanticOptions = {}): void {
  const host = options.host ?? hostProbe;
  const warn = options.warn ?? defaultWarn;

  checkProcess(spec, options.requireProcess ?? true);
  if (spec.root.path === '') throw invalidConfig(['root', 'path'], 'must not be empty');
  const propagation = spec.linux?.rootfsPropagation;
  if (options.noPivot && (propagation === 'private' || propagation === 'rprivate')) {
    throw invalidConfig(['linux', 'rootfsPropagation'], `${propagation} is not safe without pivot_root (--no-pivot)`);
  }
  checkMounts(spec, warn, host);

  const namespaces = checkNamespaces(spec, host);
  const has = (type: NamespaceType): boolean => namespaces.has(type);
  const needs = (path: PathSegment[], type: NamespaceType, what = 'requires'): Error =>
    invalidConfig(path, `${what} a ${type} namespace in linux.namespaces`);
  const linux = spec.linux ?? {};

  if (spec.hostname && !has('uts')) throw needs(['hostname'], 'uts');
  if (spec.domainname && !has('uts')) throw needs(['domainname'], 'uts');
  if (linux.maskedPaths?.length && !has('mount')) throw needs(['linux', 'maskedPaths'], 'mount');
  if (linux.readonlyPaths?.length && !has('mount')) throw needs(['linux', 'readonlyPaths'], 'mount');
  if (linux.timeOffsets && !has('time')) throw needs(['linux', 'timeOffsets'], 'time');
  if (!has('user')) {
    // runc rejects even empty lists here; empty ones change nothing, so orch lets them pass.
    if (linux.uidMappings?.length) throw needs(['linux', 'uidMappings'], 'user');
    if (linux.gidMappings?.length) throw needs(['linux', 'gidMappings'], 'user');
    // runc's rootlessEUIDCheck: without root on the host nothing else can be set up
    if (host.euid() !== 0) throw invalidConfig(['linux', 'namespaces'], 'rootless container requires user namespaces (see `orch spec --rootless`)');
  }

  checkSysctl(spec, namespaces, host);

  if (linux.netDevices && Object.keys(linux.netDevices).length > 0) {
    if (!has('network')) throw needs(['linux', 'netDevices'], 'network', 'moving devices requires');
    if (host.euid() !== 0) throw invalidConfig(['linux', 'netDevices'], 'not supported for rootless containers');
    for (const [name, device] of Object.entries(linux.netDevices)) {
      if (!validDeviceName(name)) throw invalidConfig(['linux', 'netDevices', name], 'invalid network device name');
      // the helper looks it up again when it moves it; this is the clear, early error
      if (!host.exists(`/sys/class/net/${name}`)) throw invalidConfig(['linux', 'netDevices', name], 'no such network device on the host');
      if (device.name !== undefined && device.name !== '' && !validDeviceName(device.name)) {
        throw invalidConfig(['linux', 'netDevices', name, 'name'], `invalid network device name ${shown(device.name)}`);
      }
    }
  }

  if (spec.process?.selinuxLabel && !host.exists('/sys/fs/selinux/enforce')) {
    throw invalidConfig(['process', 'selinuxLabel'], 'set, but SELinux is disabled or not supported');
  }
  checkScheduling(spec);
  checkMemoryPolicy(spec);
  checkIdLists(spec, host);
  checkSeccompNotify(spec);
}

/**
 * runc's two SCMP_ACT_NOTIFY rules: the init writes its sync messages with write(2), and a
 * notified write would wait for an agent that waits for the init: a deadlock.
 */
function checkSeccompNotify(spec: Spec): void {
  const seccomp = spec.linux?.seccomp;
  if (!seccomp) return;
  if (seccomp.defaultAction === 'SCMP_ACT_NOTIFY') throw invalidConfig(['linux', 'seccomp', 'defaultAction'], 'SCMP_ACT_NOTIFY cannot be used as the default action');
  for (const [index, rule] of (seccomp.syscalls ?? []).entries()) {
    if (rule.action !== 'SCMP_ACT_NOTIFY') continue;
    const write = (rule.names ?? []).indexOf('write');
    if (write !== -1) throw invalidConfig(['linux', 'seccomp', 'syscalls', index, 'names', write], 'SCMP_ACT_NOTIFY cannot be used for the write syscall');
  }
}

/**
 * Every CPU and node list, in the kernel's format and naming only ids this host can have: the
 * helper and the kernel then never see a list whose cost is out of proportion to the machine.
 * An empty list means "not set", as in runc.
 */
function checkIdLists(spec: Spec, host: HostProbe): void {
  const lists: Array<{ at: PathSegment[]; value: string | undefined; kind: 'cpu' | 'node'; stride: boolean }> = [
    { at: ['process', 'execCPUAffinity', 'initial'], value: spec.process?.execCPUAffinity?.initial, kind: 'cpu', stride: false },
    { at: ['process', 'execCPUAffinity', 'final'], value: spec.process?.execCPUAffinity?.final, kind: 'cpu', stride: false },
    { at: ['linux', 'resources', 'cpu', 'cpus'], value: spec.linux?.resources?.cpu?.cpus, kind: 'cpu', stride: true },
    { at: ['linux', 'resources', 'cpu', 'mems'], value: spec.linux?.resources?.cpu?.mems, kind: 'node', stride: true },
    { at: ['linux', 'memoryPolicy', 'nodes'], value: spec.linux?.memoryPolicy?.nodes, kind: 'node', stride: false },
  ];
  for (const { at, value, kind, stride } of lists) {
    if (value === undefined || value === '') continue;
    const ranges = parseIdList(value, { stride });
    if (typeof ranges === 'string') throw invalidConfig(at, `must be a ${kind === 'cpu' ? 'CPU' : 'node'} list such as "0-3,7": it ${ranges}`);
    const possible = host.possible(kind);
    const highest = highestId(ranges);
    if (highest >= possible) {
      throw invalidConfig(at, `names ${kind === 'cpu' ? 'CPU' : 'node'} ${highest}, but this host has ${kind === 'cpu' ? 'CPUs' : 'nodes'} 0-${possible - 1} only`);
    }
  }
}

function checkProcess(spec: Spec, requireProcess: boolean): void {
  const proc = spec.process;
  if (!proc) {
    if (requireProcess) throw invalidConfig(['process'], 'is required to create a container');
    return;
  }
  if (!posix.isAbsolute(proc.cwd)) throw invalidConfig(['process', 'cwd'], `must be an absolute path (got ${shown(proc.cwd)})`);
  if (requireProcess && !proc.args?.length) throw invalidConfig(['process', 'args'], 'must not be empty');
}

function checkMounts(spec: Spec, warn: (message: string) => void, host: HostProbe): void {
  for (const [index, mount] of (spec.mounts ?? []).entries()) {
    const at = ['mounts', index];
    if (!posix.isAbsolute(mount.destination)) {
      // runc (1.1 to 1.4) accepts these with a deprecation warning and resolves them against the
      // container's /; normalising here spares every later user of the path that case.
      const destination = posix.resolve('/', mount.destination);
      warn(
        `config.json: mounts[${index}].destination: ${shown(mount.destination)} is not absolute (deprecated); using ${shown(destination)}`,
      );
      mount.destination = destination;
    }
    const options = mount.options ?? [];
    // orch, like crun, takes type "bind" alone as a bind (runc wants the option).
    const isBind = mount.type === 'bind' || options.includes('bind') || options.includes('rbind');
    const data = options.filter((o) => o.includes('='));
    if (isBind && data.length > 0) {
      // The kernel ignores them on a bind. runc 1.1 and crun pass them on; runc 1.2+ refuses them.
      warn(`config.json: mounts[${index}]: ${data.join(',')} ignored: a bind mount takes no filesystem options`);
    }
    const ownMappings = mount.uidMappings !== undefined || mount.gidMappings !== undefined;
    const idmapOption = options.find((o) => o === 'idmap' || o === 'ridmap');
    if (ownMappings || idmapOption) {
      if (!isBind) {
        throw invalidConfig(at, 'id-mapped mounts are only supported for bind mounts');
      }
      if (ownMappings && (!mount.uidMappings?.length || !mount.gidMappings?.length)) {
        throw invalidConfig(at, 'id-mapped mounts need both uidMappings and gidMappings');
      }
      // Without mappings of its own, "idmap" uses the container's user namespace (runc's specconv).
      if (!ownMappings && !(spec.linux?.namespaces ?? []).some((ns) => ns.type === 'user')) {
        throw invalidConfig(at, `${shown(idmapOption)} without uidMappings and gidMappings requires a user namespace in linux.namespaces`);
      }
      if (host.euid() !== 0) throw invalidConfig(at, 'id-mapped mounts are not supported for rootless containers');
    }
  }
}

function checkNamespaces(spec: Spec, host: HostProbe): Namespaces {
  const seen: Namespaces = new Map();
  const linux = spec.linux ?? {};
  for (const [index, ns] of (linux.namespaces ?? []).entries()) {
    const at = ['linux', 'namespaces', index];
    const first = seen.get(ns.type);
    if (first) throw invalidConfig([...at, 'type'], `duplicate ${shown(ns.type)} namespace (also linux.namespaces[${first.index}])`);
    seen.set(ns.type, { index, ns });
    // An empty path means "create one", as in runc (Go's zero value).
    if (ns.path) {
      if (!posix.isAbsolute(ns.path)) throw invalidConfig([...at, 'path'], `must be an absolute path (got ${shown(ns.path)})`);
      // The helper checks again when it joins (the file may change meanwhile); this is the clear error.
      const found = host.namespaceKind(ns.path);
      if (typeof found === 'string') throw invalidConfig([...at, 'path'], `${shown(ns.path)}: ${found}`);
      const want = NAMESPACES[ns.type].proc;
      if (found.kind !== want) throw invalidConfig([...at, 'path'], `${shown(ns.path)} is a ${found.kind} namespace, not ${want}`);
    }

    switch (ns.type) {
      case 'user':
        if (!host.exists('/proc/self/ns/user')) throw invalidConfig(at, "user namespaces aren't enabled in the kernel");
        // runc asks for either list and then fails later without the other: ask for both now.
        if (!ns.path) {
          if (!linux.uidMappings?.length) throw invalidConfig(['linux', 'uidMappings'], 'must not be empty with a new user namespace');
          if (!linux.gidMappings?.length) throw invalidConfig(['linux', 'gidMappings'], 'must not be empty with a new user namespace');
        }
        break;
      case 'cgroup':
        if (!host.exists('/proc/self/ns/cgroup')) throw invalidConfig(at, "cgroup namespaces aren't enabled in the kernel");
        break;
      case 'time':
        if (!host.exists('/proc/self/timens_offsets')) throw invalidConfig(at, "time namespaces aren't enabled in the kernel");
        if (ns.path && linux.timeOffsets) {
          throw invalidConfig(['linux', 'timeOffsets'], 'cannot be set when joining a time namespace by path');
        }
        break;
      default:
        break;
    }
  }
  return seen;
}

/**
 * Every key is brought to its canonical form (sysctl-key.ts) and checked there; spec.linux.sysctl
 * is rewritten with those keys, so the helper writes exactly the files that were checked.
 */
function checkSysctl(spec: Spec, namespaces: Namespaces, host: HostProbe): void {
  const sysctl = spec.linux?.sysctl;
  if (!sysctl) return;
  let hostNet: boolean | undefined;
  const canonical: Record<string, string> = {};
  const givenAs = new Map<string, string>();
  for (const [key, value] of Object.entries(sysctl)) {
    const at = ['linux', 'sysctl', key];
    const parsed = canonicalSysctlKey(key);
    if (!parsed.ok) throw invalidConfig(at, `is not a valid sysctl name: it ${parsed.reason}`);
    const earlier = givenAs.get(parsed.path);
    if (earlier !== undefined) throw invalidConfig(at, `names the same sysctl as ${shown(earlier)}`);
    givenAs.set(parsed.path, key);
    canonical[parsed.path] = value;

    const namespace = sysctlNamespace(parsed.path);
    switch (namespace) {
      case 'ipc':
        if (!namespaces.has('ipc')) throw invalidConfig(at, 'requires an ipc namespace in linux.namespaces');
        break;
      case 'user':
        if (!namespaces.has('user')) throw invalidConfig(at, 'requires a user namespace in linux.namespaces');
        break;
      case 'uts':
        if (!namespaces.has('uts')) throw invalidConfig(at, 'requires a uts namespace in linux.namespaces');
        // kernel.hostname has its own field, which would silently win or lose
        if (parsed.dotted === 'kernel.hostname') throw invalidConfig(at, 'not allowed: it conflicts with the hostname field');
        break;
      case 'network':
        hostNet ??= isHostNetwork(namespaces, host);
        if (hostNet) throw invalidConfig(at, 'not allowed in the host network namespace (requires a network namespace in linux.namespaces)');
        break;
      default:
        throw invalidConfig(at, `is not in a separate kernel namespace${parsed.dotted === key ? '' : ` (${shown(parsed.dotted)})`}`);
    }
  }
  spec.linux!.sysctl = canonical;
}

/** No network namespace, or one joined by a path that is orch's own ("host" = current, as in runc). */
function isHostNetwork(namespaces: Namespaces, host: HostProbe): boolean {
  const net = namespaces.get('network');
  if (!net) return true;
  if (!net.ns.path) return false;
  const self = host.identity('/proc/self/ns/net');
  const joined = host.identity(net.ns.path);
  if (typeof joined === 'string') throw invalidConfig(['linux', 'namespaces', net.index, 'path'], `cannot stat: ${joined}`);
  if (typeof self === 'string') return false;
  return self.dev === joined.dev && self.ino === joined.ino;
}

/** dev_valid_name() in the kernel's net/core/dev.c */
function validDeviceName(name: string): boolean {
  const IFNAMSIZ = 16;
  return name.length > 0 && name.length <= IFNAMSIZ && name !== '.' && name !== '..' && !/[/: ]/.test(name);
}

function checkScheduling(spec: Spec): void {
  const scheduler = spec.process?.scheduler;
  if (scheduler) {
    const at = ['process', 'scheduler'];
    const { policy } = scheduler;
    const nice = scheduler.nice ?? 0;
    if ((policy === 'SCHED_OTHER' || policy === 'SCHED_BATCH') && (nice < -20 || nice > 19)) {
      throw invalidConfig([...at, 'nice'], `must be between -20 and 19 for ${policy} (got ${nice})`);
    }
    if ((scheduler.priority ?? 0) !== 0 && policy !== 'SCHED_FIFO' && policy !== 'SCHED_RR') {
      throw invalidConfig([...at, 'priority'], 'can only be set for SCHED_FIFO or SCHED_RR');
    }
    if (policy !== 'SCHED_DEADLINE') {
      for (const field of ['runtime', 'deadline', 'period'] as const) {
        if ((scheduler[field] ?? 0) !== 0) throw invalidConfig([...at, field], 'can only be set for SCHED_DEADLINE');
      }
    }
  }
  const priority = spec.process?.ioPriority?.priority ?? 0;
  if (priority < 0 || priority > 7) throw invalidConfig(['process', 'ioPriority', 'priority'], `must be between 0 and 7 (got ${priority})`);
}

function checkMemoryPolicy(spec: Spec): void {
  const policy = spec.linux?.memoryPolicy;
  if (!policy) return;
  const at = ['linux', 'memoryPolicy'];
  // its format and bounds: checkIdLists
  const nodes = policy.nodes ?? '';
  switch (policy.mode) {
    case 'MPOL_DEFAULT':
    case 'MPOL_LOCAL':
      if (nodes !== '') throw invalidConfig([...at, 'nodes'], `must be empty for ${policy.mode}`);
      break;
    case 'MPOL_BIND':
    case 'MPOL_INTERLEAVE':
    case 'MPOL_WEIGHTED_INTERLEAVE':
    case 'MPOL_PREFERRED_MANY':
      if (nodes === '') throw invalidConfig([...at, 'nodes'], `must name at least one node for ${policy.mode}`);
      break;
    default:
      break;
  }
}
