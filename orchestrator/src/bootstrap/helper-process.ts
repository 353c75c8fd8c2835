import invariant from 'tiny-invariant';
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { PassThrough, type Readable, type Stream, type Writable } from 'node:stream';
import { ENV } from '../protocol/protocol.js';
import { OrchError } from '../errors/orch-error.js';
import { helperPath } from './helper-path.js';
import { SyncChannel } from './sync-channel.js';
import { logger } from '../log/logger.js';
import { LOG_LEVELS, type LogLevel } from '../log/log-line.js';

/** One fd of the helper, as child_process takes it: 'pipe' gives a stream on the helper. */
export type StdioItem = 'pipe' | 'inherit' | 'ignore' | number | Stream;

export interface HelperExit {
  /** exit code, or 128+N when the helper was ended by signal N (runc's foreground status) */
  status: number;
  /** the exit code, null when a signal ended it */
  code: number | null;
  /** the signal that ended it: a foreground helper ends by the signal that ended the container */
  signal: NodeJS.Signals | null;
}

/** The helper, spawned: its sync channel, log channel, stdio and end. */
export interface HelperProcess {
  /** the helper's own pid (stage-0) */
  pid: number;
  helper: ChildProcess;
  channel: SyncChannel;
  /** with 'pipe' stdio: the fds 0-2 the helper hands to the container process */
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  /** the extra fds asked for by env name, as the helper's ChildProcess holds them ('pipe': a stream) */
  extra: Readonly<Record<string, Readable | Writable | null>>;
  exited: Promise<HelperExit>;
  /**
   * Resolves once every line the helper logged is written (its log channel closed), or after a
   * second at most: the log and the sync socket are two streams, and the last lines may trail.
   */
  logFlushed(): Promise<void>;
  /** SIGKILLs the helper and waits for it; the channel is closed */
  kill(): Promise<void>;
}

export interface HelperSpawn {
  /** `orch-init` arguments: init, setns, criu-restore … */
  args: string[];
  /** fds 0.. of the helper before its own channels: the container's stdio, preserved fds */
  stdio: readonly StdioItem[];
  /** more fds, each named to the helper by an env variable of shared/protocol.json */
  extra?: Readonly<Record<string, StdioItem>>;
  /** more environment (the helper gets no other: never this process's) */
  env?: Readonly<Record<string, string>>;
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
 * The one place the helper is spawned: with its sync socket and log channel (numbered by env, as
 * shared/protocol.json names them), its output taken at once (see LaunchedInit), its end awaited.
 * create, exec and restore all start here.
 */
export async function spawnHelper(request: HelperSpawn): Promise<HelperProcess> {
  const stdio: StdioItem[] = [...request.stdio];
  const env: Record<string, string> = { ...request.env };
  const syncFd = stdio.length;
  stdio.push('pipe');
  // the helper's log channel: its diagnostics come here, never to the container's stdio
  const logFd = stdio.length;
  stdio.push('pipe');
  Object.assign(env, { [ENV.syncFd]: String(syncFd), [ENV.logFd]: String(logFd), [ENV.logLevel]: helperLogLevel() });
  const extraFds: Record<string, number> = {};
  for (const [name, item] of Object.entries(request.extra ?? {})) {
    extraFds[name] = stdio.length;
    env[name] = String(stdio.length);
    stdio.push(item);
  }
  const helper = spawn(helperPath(), request.args, { stdio, env, argv0: 'orch-init' });
  const pid = await new Promise<number>((resolve, reject) => {
    helper.once('spawn', () => resolve(helper.pid ?? 0));
    helper.once('error', (err) => reject(new OrchError('system', `start init helper ${helperPath()}: ${err.message}`, { cause: err })));
  });
  // taken at once: child_process discards what nobody reads by the time the helper exits
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
  const extra: Record<string, Readable | Writable | null> = {};
  for (const [name, fd] of Object.entries(extraFds)) extra[name] = (helper.stdio[fd] as Readable | Writable | null) ?? null;
  const kill = async (): Promise<void> => {
    helper.kill('SIGKILL');
    await exited;
    channel.close();
  };
  return { pid, helper, channel, stdin: helper.stdin, stdout, stderr, extra, exited, logFlushed, kill };
}
