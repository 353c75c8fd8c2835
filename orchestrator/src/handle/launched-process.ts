import type { Duplex, Readable, Writable } from 'node:stream';
import type { LaunchedInit } from '../bootstrap/launch-init.js';
import type { ExitResult } from './exit-result.js';
import { terminalStream, writeSize } from './terminal.js';

/**
 * What a container and an exec'd process have alike once launched through the helper: the
 * process's stdio (with 'pipe'), its terminal (with terminal), and its end, which the helper's
 * stage-0 reports by ending the same way.
 */
export abstract class LaunchedProcess {
  /** with stdio 'pipe': the process's stdin */
  readonly stdin: Writable | null;
  /** with stdio 'pipe': its stdout (held until read) */
  readonly stdout: Readable | null;
  /** with stdio 'pipe': its stderr (held until read) */
  readonly stderr: Readable | null;
  /** with terminal: the pty master, one stream both ways */
  readonly terminal: Duplex | null;
  private readonly resizeChannel: Writable | null;
  /** its code or signal, once the helper has ended and its last log lines are in; none for a process not launched here */
  protected readonly ended: Promise<ExitResult> | undefined;

  constructor(launched: LaunchedInit | undefined) {
    this.stdin = launched?.stdin ?? null;
    this.stdout = launched?.stdout ?? null;
    this.stderr = launched?.stderr ?? null;
    this.resizeChannel = launched?.resize ?? null;
    this.terminal = this.resizeChannel ? terminalStream(this.stdin, this.stdout) : null;
    this.ended = launched?.exited.then(async (exit) => {
      await launched.logFlushed();
      launched.channel.close();
      return { code: exit.code, signal: exit.signal };
    });
  }

  /** Sets the size of the process's terminal (launched with terminal). */
  resize(cols: number, rows: number): void {
    writeSize(this.resizeChannel, cols, rows);
  }
}
