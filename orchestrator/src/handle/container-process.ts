import type { Duplex, Readable, Writable } from 'node:stream';
import { terminalStream, writeSize } from './terminal.js';
import type { LaunchedInit } from '../bootstrap/launch-init.js';
import { parseSignal } from '../signals/signal-name.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { ExitResult } from './exit-result.js';

/**
 * A process started in a container by Container.exec(): its host pid, its stdio streams (with
 * stdio 'pipe'), wait() and kill(). The process is born and ends inside the helper's stage-0,
 * which ends as the process does, so wait() knows a code from a signal.
 */
export class ContainerProcess {
  /** its host pid */
  readonly pid: number;
  /** with stdio 'pipe': its stdin */
  readonly stdin: Writable | null;
  /** with stdio 'pipe': its stdout (held until read) */
  readonly stdout: Readable | null;
  /** with stdio 'pipe': its stderr (held until read) */
  readonly stderr: Readable | null;
  /** with terminal: the pty master, one stream both ways */
  readonly terminal: Duplex | null;
  private readonly resizeChannel: Writable | null;
  private readonly ended: Promise<ExitResult>;
  /** once it has ended its pid may be another process's: nothing is sent then */
  private gone = false;

  /** @internal made by Container.exec() */
  constructor(launched: LaunchedInit, abort?: AbortSignal) {
    this.pid = launched.pid;
    this.stdin = launched.stdin;
    this.stdout = launched.stdout;
    this.stderr = launched.stderr;
    this.resizeChannel = launched.resize;
    this.terminal = this.resizeChannel ? terminalStream(this.stdin, this.stdout) : null;
    const onAbort = (): void => this.kill('SIGKILL');
    abort?.addEventListener('abort', onAbort, { once: true });
    this.ended = launched.exited.then(async (exit) => {
      this.gone = true;
      abort?.removeEventListener('abort', onAbort);
      await launched.logFlushed();
      return { code: exit.code, signal: exit.signal };
    });
  }

  /** Sets the size of the process's terminal (exec'd with terminal). */
  resize(cols: number, rows: number): void {
    writeSize(this.resizeChannel, cols, rows);
  }

  /** Resolves once the process has exited: its code, or the signal that ended it. */
  wait(): Promise<ExitResult> {
    return this.ended;
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
