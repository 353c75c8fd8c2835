import invariant from 'tiny-invariant';
import { terminalRequest, type TerminalOption } from './terminal.js';
import { LaunchedProcess } from './launched-process.js';
import createDebug from 'debug';
import type { LaunchedInit } from '../bootstrap/launch-init.js';
import type { HookEnv } from '../hooks/run-hook.js';
import type { LinuxResources } from '../config/spec-types.js';
import { applyProcessOverrides } from '../exec/process-overrides.js';
import { OrchError } from '../errors/orch-error.js';
import { checkpointContainer, type CheckpointOptions } from '../api/checkpoint.js';
import { deleteContainer } from '../api/delete.js';
import { launchExec } from '../api/exec.js';
import { killContainer } from '../api/kill.js';
import { pauseContainer } from '../api/pause.js';
import { resumeContainer } from '../api/resume.js';
import { startContainer } from '../api/start.js';
import { containerState } from '../api/state.js';
import { updateContainer } from '../api/update.js';
import { cgroupDriver } from '../cgroups/driver.js';
import type { CgroupStats } from '../cgroups/stats/cgroup-stats.js';
import type { ContainerRecord, StateOutput } from '../state/container-record.js';
import { StateStore } from '../state/state-store.js';
import { abortableSleep } from './abortable-sleep.js';
import { ContainerProcess } from './container-process.js';
import type { ExitResult } from './exit-result.js';
import { containerStdio, type StdioOption } from './stdio.js';
import { traced } from './debug-sink.js';

const trace = createDebug('orch:handle');

/** Where a handle's container lives and how it is driven (the CLI's global flags). */
export interface HandleRuntime {
  /** state root; default /run/orch, as the CLI's */
  root: string;
  systemdCgroup?: boolean;
  criu?: string;
  /** the environment of a hook whose spec gives none; default none (this process's is never read) */
  hookEnv?: HookEnv;
}

/** What Container.exec() takes: the process to run in the container, and its stdio. */
export interface ExecRequest {
  args: string[];
  /** KEY=value entries added to the container's process env (a later key wins), as `exec --env` */
  env?: string[];
  cwd?: string;
  /** uid and gid to run as, and supplementary groups added, as `exec --user` and `--additional-gids`; default the container's process user */
  user?: { uid: number; gid: number; additionalGids?: number[] };
  stdio?: StdioOption;
  /** a pty for the process (true, or its first size): p.terminal and p.resize() */
  terminal?: TerminalOption;
  /** aborting kills the process */
  signal?: AbortSignal;
}

/** Container.events(): an OOM in the container's cgroup, then its exit (the last event). */
export type HandleEvent = { type: 'oom' } | ({ type: 'exit' } & ExitResult);

/**
 * A container, as a Node service holds it: made by run() or create(), found by open(). Its
 * methods are the CLI's commands on it; the same locks apply between handles, processes and CLIs.
 */
export class Container extends LaunchedProcess {
  /** the container's id */
  readonly id: string;
  /** host pid of the container's init */
  readonly pid: number;
  private readonly detachAbort: () => void;

  /** @internal made by run(), create() and open() */
  constructor(
    private readonly runtime: HandleRuntime,
    record: ContainerRecord,
    launched: LaunchedInit | undefined,
    abort: AbortSignal | undefined,
  ) {
    // launched here (run, create): the helper's stage-0 stays the init's parent and ends as it ends
    super(launched);
    this.id = record.id;
    this.pid = record.initPid;
    void this.ended?.then((exit) => trace('%s exited: code %s signal %s', this.id, exit.code, exit.signal));
    const onAbort = (): void => {
      trace('%s: aborted, deleting', this.id);
      void this.delete({ force: true }).catch((err: unknown) => trace('%s: delete after abort: %O', this.id, err));
    };
    abort?.addEventListener('abort', onAbort, { once: true });
    this.detachAbort = () => abort?.removeEventListener('abort', onAbort);
  }

  /** Starts the process of a created container (runc's start). */
  start(): Promise<void> {
    return traced(() => startContainer({ ...this.runtime, id: this.id }));
  }

  /** Its OCI state now. */
  state(): StateOutput {
    return containerState({ ...this.runtime, id: this.id });
  }

  /**
   * Resolves once the container's process has exited. For a container this handle made, with its
   * code or signal; for one found by open(), {code: null, signal: null} (its status went to
   * whoever started it), polled every 50 ms.
   */
  async wait(): Promise<ExitResult> {
    if (this.ended) return this.ended;
    for (;;) {
      let status: string;
      try {
        status = this.state().status;
      } catch (err) {
        if (err instanceof OrchError && err.code === 'not-found') return { code: null, signal: null };
        throw err;
      }
      if (status === 'stopped') return { code: null, signal: null };
      await abortableSleep(50, undefined);
    }
  }

  /** Sends signal (default SIGTERM) to the init, or with all to every process in its cgroup. */
  kill(signal: string | number = 'SIGTERM', options: { all?: boolean } = {}): Promise<void> {
    return traced(() => killContainer({ ...this.runtime, id: this.id, signal, all: options.all ?? false }));
  }

  /** Runs another process in the container (runc's exec) and returns it running. */
  async exec(request: ExecRequest): Promise<ContainerProcess> {
    const base = new StateStore(this.runtime.root).read(this.id).config.process;
    invariant(base, 'a created container has a process');
    // the container's process with the request's changes, as `exec`'s flags make it; the
    // container's own terminal size is not the exec'd process's
    const { consoleSize: _containerSize, ...process } = applyProcessOverrides(base, {
      args: request.args,
      tty: request.terminal !== undefined && request.terminal !== false,
      ...(request.env ? { env: request.env } : {}),
      ...(request.cwd ? { cwd: request.cwd } : {}),
      ...(request.user ? { user: `${request.user.uid}:${request.user.gid}`, additionalGids: request.user.additionalGids ?? [] } : {}),
    });
    const terminal = terminalRequest(request.terminal);
    const stdio = terminal ? containerStdio(['pipe', 'pipe', 'ignore']) : containerStdio(request.stdio);
    const launched = await traced(() => launchExec({ ...this.runtime, id: this.id, process, stdio, ...(terminal ? { resizable: true, ...(terminal.consoleSize ? { consoleSize: terminal.consoleSize } : {}) } : {}) }));
    trace('%s: exec %o as pid %d', this.id, request.args, launched.pid);
    return new ContainerProcess(launched.init, request.signal);
  }

  /** Freezes every process of the container (runc's pause). */
  pause(): Promise<void> {
    return traced(() => pauseContainer({ ...this.runtime, id: this.id }));
  }

  /** Thaws a paused container (runc's resume). */
  resume(): Promise<void> {
    return traced(() => resumeContainer({ ...this.runtime, id: this.id }));
  }

  /** Changes its limits live (runc's update: the fields given, merged into the current ones). */
  update(resources: LinuxResources): Promise<void> {
    return traced(() => updateContainer({ ...this.runtime, id: this.id, resources }));
  }

  /** Dumps the container with criu (runc's checkpoint); unless leaveRunning, it is then deleted. */
  checkpoint(options: Omit<CheckpointOptions, 'root' | 'id'>): Promise<void> {
    return traced(() => checkpointContainer({ ...this.runtime, ...options, id: this.id }));
  }

  /** Its cgroup's statistics every interval ms (the first at once) until it stops or signal aborts. */
  async *stats(options: { interval?: number; signal?: AbortSignal } = {}): AsyncIterable<CgroupStats> {
    const interval = options.interval ?? 1000;
    if (!(interval > 0)) throw new OrchError('invalid-argument', `stats: interval ${interval}: must be greater than 0`);
    while (!options.signal?.aborted) {
      const record = new StateStore(this.runtime.root).read(this.id);
      const driver = cgroupDriver(record.cgroup);
      if (!driver.exists()) return;
      yield driver.stats();
      await abortableSleep(interval, options.signal);
    }
  }

  /** OOM events as they happen, then the exit (for a container this handle made, its code or signal). */
  async *events(options: { signal?: AbortSignal } = {}): AsyncIterable<HandleEvent> {
    const record = new StateStore(this.runtime.root).read(this.id);
    const queue: HandleEvent[] = [];
    let wake: (() => void) | undefined;
    const push = (event: HandleEvent): void => {
      queue.push(event);
      wake?.();
    };
    const oom = await cgroupDriver(record.cgroup).watchOom(() => push({ type: 'oom' }));
    let finished = false;
    void this.wait().then((exit) => {
      finished = true;
      push({ type: 'exit', ...exit });
    });
    const onAbort = (): void => wake?.();
    options.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const event = queue.shift();
        if (event) {
          yield event;
          if (event.type === 'exit') return;
          continue;
        }
        if (options.signal?.aborted || (finished && queue.length === 0)) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      oom.stop();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Deletes it (runc's delete: a running one needs force). For a container this handle made, also
   * waits for its helper to end, so nothing of it is left in this process.
   */
  async delete(options: { force?: boolean } = {}): Promise<void> {
    await traced(() => deleteContainer({ ...this.runtime, id: this.id, force: options.force ?? false }));
    this.detachAbort();
    if (this.ended) await this.ended;
  }

  /** `await using c = await run(...)`: deleted, by force, at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.delete({ force: true });
  }
}

