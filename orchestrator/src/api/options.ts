/** Options shared by every operation: where state lives and how cgroups are driven. */
import type { ContainerStdio } from '../bootstrap/launch-init.js';
import type { ConsoleSize } from '../console/caller-terminal-size.js';
import type { SignalForwarding } from '../signals/signal-forwarder.js';
import type { HookEnv } from '../hooks/run-hook.js';

/** A foreground operation's signals: none are caught unless the caller asks (the CLI forwards its own). */
export interface ForegroundOptions {
  /** forwards signals to the container's process while it runs in the foreground */
  forwardSignals?: SignalForwarding;
}

/** What every operation takes: where state lives and how cgroups are driven (the CLI's global flags). */
export interface RuntimeOptions {
  /** state root, default /run/orch */
  root: string;
  /** --systemd-cgroup was given */
  systemdCgroup?: boolean;
  /** --criu: the criu binary checkpoint and restore run (a name is looked up on $PATH); default "criu" */
  criu?: string;
  /**
   * The environment of a hook whose spec gives none. runc's hooks inherit runc's environment: the
   * CLI passes its own. The library never reads this process's; without this, such hooks get none.
   */
  hookEnv?: HookEnv;
}

/** `create`'s options: the container, its bundle and how its process starts (runc's create flags). */
export interface CreateOptions extends RuntimeOptions {
  id: string;
  /** bundle directory (holds config.json); default the current directory */
  bundle: string;
  pidFile?: string;
  noPivot?: boolean;
  noNewKeyring?: boolean;
  /** pass fds 3 .. 3+N-1 of this process into the container */
  preserveFds?: number;
  /** process.terminal only: the AF_UNIX socket that receives the pty master (required detached) */
  consoleSocket?: string;
  /** an AF_UNIX socket that receives a pidfd of the init (runc 1.2's --pidfd-socket) */
  pidfdSocket?: string;
  /** force process.terminal on (`orch run -t`) */
  terminal?: boolean;
  /**
   * systemd socket activation: this process' fds 3 .. 3+N-1 are listening sockets; they go to the
   * container at the same numbers, before the preserved fds, with LISTEN_FDS=N and LISTEN_PID=1
   * (the CLI takes N from LISTEN_FDS when LISTEN_PID is its pid, as runc)
   */
  listenFds?: number;
  /** process.terminal in the foreground: the pty's first size (the CLI gives its own terminal's) */
  consoleSize?: ConsoleSize;
  /** a foreground terminal: a channel the pty's later sizes are written to ("COLS ROWS" lines) */
  resizable?: boolean;
  /** the init's fds 0-2 (a foreground create); this process's own by default */
  stdio?: ContainerStdio;
  /** a spec object to use instead of the bundle's config.json (validated the same way) */
  config?: unknown;
}

/** `run`'s options: create's, and whether to wait for the container (runc's run flags). */
export interface RunOptions extends CreateOptions, ForegroundOptions {
  /** run -d: create + start, then return without waiting */
  detach?: boolean;
  /** run --keep: the container stays (stopped) after its process exits, for `delete` to remove */
  keep?: boolean;
  /** run --no-subreaper: orphans of the container go to the caller's subreaper, not to orch's stage-0 */
  noSubreaper?: boolean;
}
