import { OCI_VERSION } from '../config/schema.js';
import { OrchError } from '../errors/orch-error.js';
import { SYNC } from '../protocol/protocol.js';
import { cgroupDriver } from '../cgroups/driver.js';
import { abandonInit, launchInit, type ContainerStdio, type LaunchedInit } from '../bootstrap/launch-init.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import type { InitConfig } from '../bootstrap/init-config.js';
import { checkTerminal } from '../console/check-terminal.js';
import { applyCallerTerminalSize, type ConsoleSize } from '../console/caller-terminal-size.js';
import { connectAgent } from '../seccomp/agent-socket.js';
import { notifyProfile } from '../seccomp/notify-rules.js';
import { SECCOMP_FD_NAME } from '../seccomp/process-state.js';
import { containerStatus } from '../state/container-status.js';
import type { ContainerRecord } from '../state/container-record.js';
import { validateContainerId } from '../state/container-id.js';
import { writePidFile } from '../state/pid-file.js';
import { StateStore } from '../state/state-store.js';
import { execSpec } from '../exec/exec-spec.js';
import { joinBootstrap } from '../exec/join-bootstrap.js';
import type { ForegroundOptions, RuntimeOptions } from './options.js';

/** `exec`'s options: the container, the process to run in it, and how it runs (runc's exec flags). */
export interface ExecOptions extends RuntimeOptions, ForegroundOptions {
  id: string;
  /**
   * The OCI process to run (runc's process.json): args, env, cwd, user, capabilities… are taken
   * as given. exec/process-overrides.ts builds one from the container's own and `exec`'s flags.
   */
  process: unknown;
  /** names the process in error messages (the --process file); default "process" */
  processSource?: string;
  /** return once the process runs instead of waiting for it */
  detach?: boolean;
  pidFile?: string;
  /** process.terminal, detached: the AF_UNIX socket that receives the pty master */
  consoleSocket?: string;
  /** an AF_UNIX socket that receives a pidfd of the process (runc 1.2's --pidfd-socket) */
  pidfdSocket?: string;
  /** pass fds 3 .. 3+N-1 of this process to it */
  preserveFds?: number;
  /** allow exec into a paused container (the process then waits for resume, frozen with it) */
  ignorePaused?: boolean;
  /** exec --cgroup: sub-cgroups of the container's, controller -> path ("" for all) */
  subCgroups?: Record<string, string>;
  /** process.terminal in the foreground: the pty's first size (the CLI gives its own terminal's) */
  consoleSize?: ConsoleSize;
  /** a foreground terminal: a channel the pty's later sizes are written to ("COLS ROWS" lines) */
  resizable?: boolean;
  /** the process's fds 0-2: this process's own by default */
  stdio?: ContainerStdio;
}

/**
 * `exec` (runc's setns process): a new process in a created, running or (with ignorePaused)
 * paused container. The helper starts in the container's cgroup (or the sub-cgroup asked for),
 * joins every namespace of the init, user first, and execs the process with the container's
 * seccomp filter and the process's own credentials, capabilities, AppArmor profile and limits.
 * Returns 0 once the process runs when detached; otherwise waits and returns its exit status
 * (128+N when killed by signal N), forwarding signals to it with opts.forwardSignals.
 */
export async function execProcess(opts: ExecOptions): Promise<number> {
  const detach = opts.detach ?? false;
  // Caught from before the process exists: it runs as soon as it is cloned, with no fifo to wait on.
  const forwarder = detach ? undefined : opts.forwardSignals?.();
  try {
    const { init } = await launchExec(opts, (pid) => forwarder?.forwardTo(pid));
    const { status: exitStatus } = await init.exited;
    await init.logFlushed(); // stage-0 has gone: the channel is closed, its last lines in
    return detach ? 0 : exitStatus;
  } finally {
    forwarder?.stop();
  }
}

/** An exec'd process that runs: its host pid and its helper (whose end, in the foreground, is the process's). */
export interface LaunchedExec {
  pid: number;
  init: LaunchedInit;
}

/**
 * exec up to the point where the process runs (its execve succeeded); onPid is told its pid as
 * soon as it exists. The caller waits for init.exited (the library's process handle, or execProcess).
 */
export async function launchExec(opts: ExecOptions, onPid?: (pid: number) => void): Promise<LaunchedExec> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  const record = store.read(opts.id);
  requireStatus('exec', containerStatus(record, store), opts.id, { ignorePaused: opts.ignorePaused ?? false });
  const spec = execSpec(record.config, opts.process, opts.processSource ?? 'process');
  const detach = opts.detach ?? false;
  checkTerminal(spec.process?.terminal ?? false, opts.consoleSocket, detach);
  if (spec.process) applyCallerTerminalSize(spec.process, !detach, opts.consoleSize);
  const preserveFds = opts.preserveFds ?? 0;
  if (!Number.isInteger(preserveFds) || preserveFds < 0) throw new OrchError('invalid-argument', `preserve-fds ${preserveFds}: must not be negative`);
  const cgroup = cgroupDriver(record.cgroup).within(opts.subCgroups ?? {});

  const config: InitConfig = {
    type: 'setns',
    id: record.id,
    bundle: record.bundle,
    rootfs: record.rootfs,
    foreground: !detach,
    noPivot: false,
    noNewKeyring: record.noNewKeyring ?? false,
    preserveFds,
    ...(opts.consoleSocket ? { consoleSocket: opts.consoleSocket } : {}),
    ...(opts.pidfdSocket ? { pidfdSocket: opts.pidfdSocket } : {}),
    spec,
  };
  const rootlessEuid = process.geteuid?.() !== 0;
  const notify = notifyProfile(spec);
  const seccompAgent = notify?.listenerPath ? await connectAgent(notify.listenerPath) : undefined;
  let init: LaunchedInit;
  try {
    init = await launchInit({
      config,
      rootlessEuid,
      bootstrap: joinBootstrap(record, { rootlessEuid }),
      // Every stage, and so the process, is born in the container's cgroup (and resctrl group).
      beforeBootstrap: async (helperPid) => {
        if (record.cgroup.intelRdt) (await import('../intelrdt/rdt-group.js')).joinRdtGroup(record.cgroup.intelRdt, helperPid);
        await cgroup.join(helperPid);
      },
      ...(opts.stdio ? { stdio: opts.stdio } : {}),
      ...(opts.resizable ? { resizable: true } : {}),
      ...(seccompAgent ? { seccompAgent } : {}),
    });
  } catch (err) {
    // An init that died meanwhile takes its /proc/<pid>/ns entries with it: say what happened.
    if (containerStatus(record, store) === 'stopped') throw new OrchError('bad-state', 'cannot exec in a stopped container', { cause: err });
    throw err;
  } finally {
    seccompAgent?.destroy(); // the helper holds its own copy
  }

  onPid?.(init.pid);
  try {
    if (notify) await answerSeccomp(init, record, notify.listenerMetadata);
    // The sync socket is close-on-exec in the process: end-of-file means its execve worked.
    await init.channel.expectEnd('the process to start');
  } catch (err) {
    await abandonInit(init);
    throw err;
  }
  init.channel.close();
  if (opts.pidFile) writePidFile(opts.pidFile, init.pid);
  return { pid: init.pid, init };
}

/** The seccomp agent's state for an exec'd process: the container's, running, and the process's pid. */
async function answerSeccomp(init: LaunchedInit, record: ContainerRecord, metadata: string | undefined): Promise<void> {
  await init.channel.expect(SYNC.procSeccomp, 'it asked for the seccomp agent state');
  const annotations = Object.keys(record.annotations).length > 0 ? record.annotations : undefined;
  init.channel.send(SYNC.procSeccompDone, {
    state: {
      ociVersion: OCI_VERSION,
      fds: [SECCOMP_FD_NAME],
      pid: init.pid,
      ...(metadata ? { metadata } : {}),
      state: { ociVersion: OCI_VERSION, id: record.id, status: 'running', pid: record.initPid, bundle: record.bundle, ...(annotations ? { annotations } : {}) },
    },
  });
}
