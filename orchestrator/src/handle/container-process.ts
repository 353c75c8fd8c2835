import invariant from 'tiny-invariant';
import type { LaunchedInit } from '../bootstrap/launch-init.js';
import { parseSignal } from '../signals/signal-name.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { ExitResult } from './exit-result.js';
import { LaunchedProcess } from './launched-process.js';

/**
 * A process started in a container by Container.exec(): its host pid, its stdio streams (with
 * stdio 'pipe'), wait() and kill(). The process is born and ends inside the helper's stage-0,
 * which ends as the process does, so wait() knows a code from a signal.
 */
export class ContainerProcess extends LaunchedProcess {
  /** its host pid */
  readonly pid: number;
  private readonly exit: Promise<ExitResult>;
  /** once it has ended its pid may be another process's: nothing is sent then */
  private gone = false;

  /** @internal made by Container.exec() */
  constructor(launched: LaunchedInit, abort?: AbortSignal) {
    super(launched);
    this.pid = launched.pid;
    const onAbort = (): void => this.kill('SIGKILL');
    abort?.addEventListener('abort', onAbort, { once: true });
    void launched.exited.then(() => {
      this.gone = true;
      abort?.removeEventListener('abort', onAbort);
    });
    invariant(this.ended, 'a launched process has an end');
    this.exit = this.ended;
  }

  /** Resolves once the process has exited: its code, or the signal that ended it. */
  wait(): Promise<ExitResult> {
    return this.exit;
  }

  /** Sends signal (default SIGTERM; a name or number) to the process; one that is gone is no error. */
  kill(signal: string | number = 'SIGTERM'): void {
    const number = parseSignal(signal);
    if (this.gone) return;
    try {
      process.kill(this.pid, number);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw err instanceof OrchError ? err : systemError(`kill ${this.pid}`, err);
    }
  }
}
