import type { SignalForwarder } from '../signals/signal-forwarder.js';

/**
 * Foreground `run`, `exec` and `restore` from the CLI: what the orch process receives goes to the
 * container's process, as runc's signal handler does. Process-wide handlers are the CLI's to
 * install: the library never does (a service keeps its own SIGTERM handling). Signals Node cannot or must not handle (KILL, STOP, the fatal synchronous ones,
 * CHLD, PIPE) are not forwarded; WINCH belongs to the terminal code, as in runc.
 */
const FORWARDED: readonly NodeJS.Signals[] = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGSYS', 'SIGTRAP', 'SIGURG',
  'SIGABRT', 'SIGIO',
];

/**
 * Starts catching signals before the target pid is known (exec: the process may run as soon as
 * it exists), holding them until forwardTo names the process.
 */
export function startSignalForwarding(): SignalForwarder {
  let target: number | undefined;
  const held: NodeJS.Signals[] = [];
  const deliver = (signal: NodeJS.Signals): void => {
    try {
      process.kill(target as number, signal);
    } catch {
      // the process is already gone; its exit status arrives through the helper
    }
  };
  const handler = (signal: NodeJS.Signals): void => {
    if (target === undefined) held.push(signal);
    else deliver(signal);
  };
  for (const signal of FORWARDED) process.on(signal, handler);
  return {
    forwardTo(pid) {
      target = pid;
      for (const signal of held.splice(0)) deliver(signal);
    },
    stop() {
      for (const signal of FORWARDED) process.off(signal, handler);
    },
  };
}
