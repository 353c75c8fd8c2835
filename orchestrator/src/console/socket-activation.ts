import type { Spec } from '../config/spec-types.js';

/**
 * systemd socket activation (sd_listen_fds(3)): the service manager passes listening sockets as
 * fds 3 .. 3+LISTEN_FDS-1 and names the process meant to take them in LISTEN_PID. As runc (through
 * go-systemd's activation.Files) the fds count only when LISTEN_PID is this process; they then go
 * to the container at the same numbers, before any --preserve-fds.
 */
export function listenFdsCount(env: NodeJS.ProcessEnv, pid: number): number {
  if (!env['LISTEN_FDS']) return 0;
  if (Number(env['LISTEN_PID']) !== pid) return 0;
  const count = Number(env['LISTEN_FDS']);
  return Number.isSafeInteger(count) && count > 0 ? count : 0;
}

/**
 * spec.process.env for a container given `count` activation fds: LISTEN_FDS=count and
 * LISTEN_PID=1 (the container's process is pid 1 of its namespace), replacing any earlier values
 * (runc appends them, and its env handling lets the last value win).
 */
export function withListenEnv(env: readonly string[] | undefined, count: number): string[] {
  const kept = (env ?? []).filter((entry) => !entry.startsWith('LISTEN_FDS=') && !entry.startsWith('LISTEN_PID='));
  return [...kept, `LISTEN_FDS=${count}`, 'LISTEN_PID=1'];
}

/** The spec the init gets when `count` activation fds come along (the stored config is unchanged). */
export function specWithListenFds(spec: Spec, count: number): Spec {
  if (count === 0 || !spec.process) return spec;
  return { ...spec, process: { ...spec.process, env: withListenEnv(spec.process.env, count) } };
}
