import invariant from 'tiny-invariant';
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import { PassThrough, type Readable, type Stream, type Writable } from 'node:stream';
import { ENV, SYNC } from '../protocol/protocol.js';
import { OrchError } from '../errors/orch-error.js';
import { bootstrapData } from './bootstrap-data.js';
import { helperPath } from './helper-path.js';
import type { InitConfig } from './init-config.js';
import { SyncChannel } from './sync-channel.js';
import { logger } from '../log/logger.js';
import { LOG_LEVELS, type LogLevel } from '../log/log-line.js';

/** One of the container process's fds 0-2, as child_process takes it: 'pipe' gives a stream on the helper. */
export type StdioItem = 'pipe' | 'inherit' | 'ignore' | number | Stream;
export type ContainerStdio = [StdioItem, StdioItem, StdioItem];

export interface HelperExit {
  /** exit code, or 128+N when the helper was ended by signal N (runc's foreground status) */
  status: number;
  /** the exit code, null when a signal ended it */
  code: number | null;
  /** the signal that ended it: a foreground helper ends by the signal that ended the container */
  signal: NodeJS.Signals | null;
}

export interface LaunchedInit {
  /** host pid of the container init */
  pid: number;
  helper: ChildProcess;
  /**
   * With stdio 'pipe': the container process's fds 0-2. Its output is taken from the helper at
   * once and held (with back-pressure) until read: child_process would discard what nobody reads
   * by the time the helper exits, and a short process may end before its handle is returned.
   */
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  /** with resizable: where "COLS ROWS" lines go, to size the container's terminal */
  resize: Writable | null;
  channel: SyncChannel;
  /** resolves when stage-0 exits; in foreground mode its status is the container's */
  exited: Promise<HelperExit>;
  /**
   * Resolves once every line the helper logged is written (its log channel closed: the init
   * closes it before waiting on the fifo, an exec'd process at exec), or after a second at most:
   * the log and the sync socket are two streams, and the last lines may trail the sync's end.
   */
  logFlushed(): Promise<void>;
}

export interface LaunchRequest {
  config: InitConfig;
  rootlessEuid: boolean;
  /** the container's fds 0-2: this process's own by default */
  stdio?: ContainerStdio;
  /** called with stage-0's pid before any bootstrap data is sent: the place to join the cgroup */
  beforeBootstrap: (helperPid: number) => void | Promise<void>;
  /** a socket connected to the seccomp agent (linux.seccomp.listenerPath), for the init */
  seccompAgent?: Socket;
  /** a foreground terminal: a pipe for the pty's later sizes ("COLS ROWS" lines), as `resize` */
  resizable?: boolean;
  /** the bootstrap message, when not the one bootstrapData makes of config.spec (exec joins by path) */
  bootstrap?: Buffer;
}

/** The lowest level this process logs: the helper sends nothing below it. */
function helperLogLevel(): LogLevel {
  const log = logger();
  return (['debug', 'info', 'warning'] as const).find((level) => log.enabled(level)) ?? 'error';
}

/** Lines {"level", "msg"} from the helper, into this process's log at their level; resolves at its end. */
function relayHelperLog(stream: Readable): Promise<void> {
  let pending = '';
  const emit = (line: string): void => {
    if (line === '') return;
    try {
      const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
      const level = LOG_LEVELS.find((known) => known === entry.level) ?? 'error';
      logger().log(level, String(entry.msg ?? ''), { source: 'orch-init' });
    } catch {
      logger().error(line, { source: 'orch-init' });
    }
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(emit);
  });
  return new Promise((resolve) => {
    stream.on('end', () => {
      emit(pending);
      resolve();
    });
    // a helper killed mid-line must not become an unhandled error here
    stream.on('error', () => resolve());
    stream.on('close', () => resolve());
  });
}

/** How a helper ended, from its ChildProcess (create, exec and restore's helpers alike). */
export function exitPromise(child: ChildProcess): Promise<HelperExit> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (code !== null) resolve({ status: code, code, signal: null });
      else resolve({ status: 128 + (signal ? constants.signals[signal] : 0), code: null, signal });
    });
  });
}

/**
 * Spawns the init helper and takes it through the nsexec stages up to the point where the
 * container init is born and its pid is known (procPids). The caller finishes the protocol.
 */
export async function launchInit(request: LaunchRequest): Promise<LaunchedInit> {
  const { config } = request;
  const stdio: StdioOptions = [...(request.stdio ?? ['inherit', 'inherit', 'inherit'])];
  // --preserve-fds: our fds 3..3+N-1 stay at the same numbers in the container.
  for (let fd = 3; fd < 3 + config.preserveFds; fd++) stdio.push(fd);
  const syncFd = stdio.length;
  stdio.push('pipe');
  // the helper's log channel: its diagnostics come here, never to the container's stdio
  const logFd = stdio.length;
  stdio.push('pipe');
  const env: Record<string, string> = { [ENV.syncFd]: String(syncFd), [ENV.logFd]: String(logFd), [ENV.logLevel]: helperLogLevel() };
  let resizeFd: number | undefined;
  if (request.resizable) {
    resizeFd = stdio.length;
    env[ENV.resizeFd] = String(resizeFd);
    stdio.push('pipe');
  }
  if (request.seccompAgent) {
    env[ENV.seccompAgentFd] = String(stdio.length);
    stdio.push(request.seccompAgent);
  }

  // `orch-init setns` joins the running container the config names (exec)
  const helper = spawn(helperPath(), [config.type === 'setns' ? 'setns' : 'init'], {
    stdio,
    env,
    argv0: 'orch-init',
  });
  const spawned = await new Promise<number>((resolve, reject) => {
    helper.once('spawn', () => resolve(helper.pid ?? 0));
    helper.once('error', (err) => reject(new OrchError('system', `start init helper ${helperPath()}: ${err.message}`, { cause: err })));
  });
  const stdout = helper.stdout ? helper.stdout.pipe(new PassThrough()) : null;
  const stderr = helper.stderr ? helper.stderr.pipe(new PassThrough()) : null;
  const exited = exitPromise(helper);
  const logStream = helper.stdio[logFd] as Readable | null;
  const logEnded = logStream ? relayHelperLog(logStream) : Promise.resolve();
  const logFlushed = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([logEnded, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
  };
  const socket = helper.stdio[syncFd] as (Readable & Writable) | null;
  invariant(socket, 'init helper has no sync socket');
  const channel = new SyncChannel(socket, socket);

  try {
    await request.beforeBootstrap(spawned);
    channel.send(request.bootstrap ?? bootstrapData(config.spec, { rootlessEuid: request.rootlessEuid }));
    channel.send(config as unknown as { type: string });
    const pids = await channel.expect(SYNC.procPids, 'it reported its pid');
    const pid = Number(pids['pid']);
    if (!Number.isInteger(pid) || pid <= 0) throw new OrchError('init-failed', `init helper reported a bad pid: ${JSON.stringify(pids)}`);
    const resize = resizeFd === undefined ? null : ((helper.stdio[resizeFd] as Writable | null) ?? null);
    resize?.on('error', () => undefined); // the relay gone: sizes go nowhere
    return { pid, helper, stdin: helper.stdin, stdout, stderr, resize, channel, exited, logFlushed };
  } catch (err) {
    helper.kill('SIGKILL');
    await exited;
    channel.close();
    throw err;
  }
}

/** A launch given up on: the container's init (if born) and the helper are killed and waited for. */
export async function abandonInit(init: LaunchedInit): Promise<void> {
  try {
    process.kill(init.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  init.helper.kill('SIGKILL');
  await init.exited;
  init.channel.close();
}
