/**
 * Foreground `run`: what the orchestrator receives goes to the container init, as runc's signal
 * handler does. Signals Node cannot or must not handle (KILL, STOP, the fatal synchronous ones,
 * CHLD, PIPE) are not forwarded; WINCH belongs to the terminal code, as in runc.
 */
const FORWARDED: readonly NodeJS.Signals[] = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGSYS', 'SIGTRAP', 'SIGURG',
  'SIGABRT', 'SIGIO',
];

export function forwardSignals(pid: number): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    try {
      process.kill(pid, signal);
    } catch {
      // the init is already gone; its exit status arrives through the helper
    }
  };
  for (const signal of FORWARDED) process.on(signal, handler);
  return () => {
    for (const signal of FORWARDED) process.off(signal, handler);
  };
}
