// Generated from shared/protocol.json by tools/gen-protocol.mjs. Do not edit.

export const PROTOCOL_VERSION = 1;

export const ENV = {
  syncFd: '_ORCH_SYNC_FD',
  logFd: '_ORCH_LOG_FD',
  logLevel: '_ORCH_LOG_LEVEL',
  seccompAgentFd: '_ORCH_SECCOMP_AGENT_FD',
  resizeFd: '_ORCH_RESIZE_FD',
} as const;

export const INIT_MSG = 62000;

export const ATTR = {
  /** u32: CLONE_NEW* flags of the namespaces to create */
  cloneFlags: 27281,
  /** string: one namespace to join as kind:path, e.g. net:/proc/1/ns/net; repeated, once per namespace (no list separator: a path may hold any byte but NUL) */
  nsPath: 27282,
  /** bytes: contents for /proc/PID/uid_map, lines of 'inside outside count' */
  uidMap: 27283,
  /** bytes: contents for /proc/PID/gid_map */
  gidMap: 27284,
  /** bool: true: leave setgroups allowed; false: write deny before gid_map (rootless) */
  setgroups: 27285,
  /** bytes: value for /proc/self/oom_score_adj, written before the user namespace exists */
  oomScoreAdj: 27286,
  /** bool: the orchestrator runs without root on the host */
  rootlessEuid: 27287,
  /** string: newuidmap binary to use instead of writing uid_map */
  uidMapPath: 27288,
  /** string: newgidmap binary to use instead of writing gid_map */
  gidMapPath: 27289,
  /** bytes: contents for /proc/self/timens_offsets, lines of 'clock secs nanosecs' */
  timeOffsets: 27290,
} as const;

/** OCI namespace type -> clone flag and /proc/PID/ns entry, in join order (user first). */
export const NAMESPACES = {
  user: { flag: 0x10000000, proc: 'user' },
  mount: { flag: 0x20000, proc: 'mnt' },
  cgroup: { flag: 0x2000000, proc: 'cgroup' },
  uts: { flag: 0x4000000, proc: 'uts' },
  ipc: { flag: 0x8000000, proc: 'ipc' },
  network: { flag: 0x40000000, proc: 'net' },
  pid: { flag: 0x20000000, proc: 'pid' },
  time: { flag: 0x80, proc: 'time' },
} as const;
export type NamespaceType = keyof typeof NAMESPACES;

/** Canonical sysctl keys: a component is non-empty, not . or .., and matches this. */
export const SYSCTL_COMPONENT = /^[A-Za-z0-9_.@+-]+$/;
/** The sysctls a container may set (path under /proc/sys, or a prefix of paths) and the namespace each needs. */
export const SYSCTL_RULES: ReadonlyArray<{ path: string; prefix: boolean; namespace: NamespaceType }> = [
  { path: 'kernel/msgmax', prefix: false, namespace: 'ipc' },
  { path: 'kernel/msgmnb', prefix: false, namespace: 'ipc' },
  { path: 'kernel/msgmni', prefix: false, namespace: 'ipc' },
  { path: 'kernel/sem', prefix: false, namespace: 'ipc' },
  { path: 'kernel/shmall', prefix: false, namespace: 'ipc' },
  { path: 'kernel/shmmax', prefix: false, namespace: 'ipc' },
  { path: 'kernel/shmmni', prefix: false, namespace: 'ipc' },
  { path: 'kernel/shm_rmid_forced', prefix: false, namespace: 'ipc' },
  { path: 'fs/mqueue/', prefix: true, namespace: 'ipc' },
  { path: 'net/', prefix: true, namespace: 'network' },
  { path: 'kernel/domainname', prefix: false, namespace: 'uts' },
  { path: 'kernel/hostname', prefix: false, namespace: 'uts' },
  { path: 'user/', prefix: true, namespace: 'user' },
];

export const SYNC = {
  /** from helper: stage-0: {pid, stage1Pid} host pids of the container init (exec: the process) and of stage-1; criu-restore: {pid} of the restored init */
  procPids: 'procPids',
  /** from helper: the init has set up the rootfs; the orchestrator may finish its side */
  procReady: 'procReady',
  /** from orch: answer to procReady: go on to the exec fifo; to criu-restore: you are in the cgroup, run criu */
  procRun: 'procRun',
  /** from helper: the init, mounts in place and before the root change, waits while the orchestrator runs prestart and createRuntime hooks (sent only when the spec has some) */
  procHooks: 'procHooks',
  /** from orch: answer to procHooks */
  procResume: 'procResume',
  /** from both: {message}: the sender failed; the receiver gives up */
  procError: 'procError',
  /** from helper: the init is about to load a seccomp filter with SCMP_ACT_NOTIFY rules and needs the state for the agent at listenerPath */
  procSeccomp: 'procSeccomp',
  /** from orch: answer to procSeccomp: {state} is the container process state the init sends to the agent, with the listener fd, over the socket at $_ORCH_SECCOMP_AGENT_FD */
  procSeccompDone: 'procSeccompDone',
} as const;
export type SyncType = (typeof SYNC)[keyof typeof SYNC];

/** What each sync message carries beside its type. */
export interface SyncPayloads {
  procPids: {
    pid: number;
    stage1Pid?: number;
  };
  procReady: Record<never, never>;
  procRun: Record<never, never>;
  procHooks: Record<never, never>;
  procResume: Record<never, never>;
  procError: {
    message: string;
  };
  procSeccomp: Record<never, never>;
  procSeccompDone: {
    state: Record<string, unknown>;
  };
}

/** The payload fields each message must have, and their JSON types, for checking what arrives. */
export const SYNC_PAYLOADS: Readonly<Record<SyncType, ReadonlyArray<{ key: string; type: string; required: boolean }>>> = {
  procPids: [{ key: 'pid', type: 'integer', required: true }, { key: 'stage1Pid', type: 'integer', required: false }],
  procReady: [],
  procRun: [],
  procHooks: [],
  procResume: [],
  procError: [{ key: 'message', type: 'string', required: true }],
  procSeccomp: [],
  procSeccompDone: [{ key: 'state', type: 'object', required: true }],
};

export const INIT_TYPES = ['standard', 'setns'] as const;
export type InitType = (typeof INIT_TYPES)[number];

/** The init config as it goes on the wire (bootstrap/init-config.ts narrows type and spec). */
export interface InitConfigFields {
  /** "standard" (create) or "setns" (exec) */
  type: string;
  /** the container id */
  id: string;
  /** the bundle directory, absolute */
  bundle: string;
  /** the rootfs's absolute host path, symlinks resolved */
  rootfs: string;
  /** standard only: the exec fifo stage-0 mkfifo()s (0622) and opens O_PATH for the init */
  fifoPath?: string;
  /** stage-0 stays the init's parent (a child subreaper), waits for it and ends as it ends */
  foreground?: boolean;
  /** --no-pivot: MS_MOVE and chroot instead of pivot_root */
  noPivot?: boolean;
  /** --no-new-keyring: the process keeps the caller's session keyring */
  noNewKeyring?: boolean;
  /** run --no-subreaper: a foreground stage-0 is no child subreaper */
  noSubreaper?: boolean;
  /** socket-activation fds + --preserve-fds: fds 3 .. 3+N-1 pass to the process */
  preserveFds?: number;
  /** process.terminal, detached: the AF_UNIX socket the pty master is sent to */
  consoleSocket?: string;
  /** --pidfd-socket: the AF_UNIX socket a pidfd of the process is sent to */
  pidfdSocket?: string;
  /** the validated OCI config.json (exec: with the exec'd process) */
  spec: Record<string, unknown>;
}
