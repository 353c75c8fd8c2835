/** Options shared by every operation: where state lives and how cgroups are driven. */
export interface RuntimeOptions {
  /** state root, default /run/orch */
  root: string;
  /** --systemd-cgroup was given */
  systemdCgroup?: boolean;
}

export interface CreateOptions extends RuntimeOptions {
  id: string;
  /** bundle directory (holds config.json); default the current directory */
  bundle: string;
  pidFile?: string;
  noPivot?: boolean;
  noNewKeyring?: boolean;
  /** pass fds 3 .. 3+N-1 of this process into the container */
  preserveFds?: number;
  consoleSocket?: string;
}

export interface RunOptions extends CreateOptions {
  /** run -d: create + start, then return without waiting */
  detach?: boolean;
}
