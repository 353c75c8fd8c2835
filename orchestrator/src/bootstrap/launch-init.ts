import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { ENV, SYNC } from '../protocol/protocol.js';
import { OrchError } from '../errors/orch-error.js';
import { bootstrapData } from './bootstrap-data.js';
import { spawnHelper, type HelperProcess, type StdioItem } from './helper-process.js';
import type { InitConfig } from './init-config.js';

export type { HelperExit, StdioItem } from './helper-process.js';

export type ContainerStdio = [StdioItem, StdioItem, StdioItem];

/** The helper once the container's first process exists: its pid, and the helper's channels and end. */
export interface LaunchedInit extends Pick<HelperProcess, 'helper' | 'channel' | 'stdin' | 'stdout' | 'stderr' | 'exited' | 'logFlushed'> {
  /** host pid of the container init (exec: of the process) */
  pid: number;
  /** with resizable: where "COLS ROWS" lines go, to size the container's terminal */
  resize: Writable | null;
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

/**
 * Spawns the init helper and takes it through the nsexec stages up to the point where the
 * container init is born and its pid is known (procPids). The caller finishes the protocol.
 */
export async function launchInit(request: LaunchRequest): Promise<LaunchedInit> {
  const { config } = request;
  const stdio: StdioItem[] = [...(request.stdio ?? ['inherit', 'inherit', 'inherit'])];
  // --preserve-fds: our fds 3..3+N-1 stay at the same numbers in the container.
  for (let fd = 3; fd < 3 + (config.preserveFds ?? 0); fd++) stdio.push(fd);
  // `orch-init setns` joins the running container the config names (exec)
  const spawned = await spawnHelper({
    args: [config.type === 'setns' ? 'setns' : 'init'],
    stdio,
    extra: {
      ...(request.resizable ? { [ENV.resizeFd]: 'pipe' } : {}),
      ...(request.seccompAgent ? { [ENV.seccompAgentFd]: request.seccompAgent } : {}),
    },
  });
  const { helper, channel, exited, logFlushed } = spawned;
  try {
    await request.beforeBootstrap(spawned.pid);
    channel.sendRaw(request.bootstrap ?? bootstrapData(config.spec, { rootlessEuid: request.rootlessEuid }));
    channel.sendRaw(config);
    const { pid } = await channel.expect(SYNC.procPids, 'it reported its pid');
    if (pid <= 0) throw new OrchError('init-failed', `init helper reported a bad pid: ${pid}`);
    const resize = (spawned.extra[ENV.resizeFd] as Writable | null | undefined) ?? null;
    resize?.on('error', () => undefined); // the relay gone: sizes go nowhere
    return { pid, helper, stdin: spawned.stdin, stdout: spawned.stdout, stderr: spawned.stderr, resize, channel, exited, logFlushed };
  } catch (err) {
    await spawned.kill();
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
