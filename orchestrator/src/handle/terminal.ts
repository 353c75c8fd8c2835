import { Duplex, type Readable, type Writable } from 'node:stream';
import { OrchError } from '../errors/orch-error.js';

/** `terminal: true`, or with the pty's first size. */
export type TerminalOption = boolean | { cols: number; rows: number };

/** What a terminal request adds to create or exec: the process gets a pty the helper relays. */
export function terminalRequest(option: TerminalOption | undefined): { terminal: true; resizable: true; consoleSize?: { width: number; height: number } } | undefined {
  if (!option) return undefined;
  if (option === true) return { terminal: true, resizable: true };
  checkSize(option.cols, option.rows);
  return { terminal: true, resizable: true, consoleSize: { width: option.cols, height: option.rows } };
}

/**
 * The pty master as one stream: what is written goes to the process's input, what it prints comes
 * out, and it ends when the terminal does. Input written after the process has gone is dropped,
 * as a terminal whose reader left drops it (not an error on the stream).
 */
class TerminalStream extends Duplex {
  constructor(
    private readonly input: Writable,
    private readonly output: Readable,
  ) {
    super();
    input.on('error', () => undefined);
    output.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) output.pause();
    });
    output.on('end', () => this.push(null));
    output.on('error', (err) => this.destroy(err));
  }

  override _read(): void {
    this.output.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.input.destroyed || !this.input.writable) return done();
    this.input.write(chunk, encoding, () => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.input.destroyed) return done();
    this.input.end(() => done());
  }
}

export function terminalStream(input: Writable | null, output: Readable | null): Duplex | null {
  return input && output ? new TerminalStream(input, output) : null;
}

/** Sets the pty's size (TIOCSWINSZ in the helper's relay; the process gets SIGWINCH). */
export function writeSize(channel: Writable | null, cols: number, rows: number): void {
  if (!channel) throw new OrchError('bad-state', 'resize: the process has no terminal');
  checkSize(cols, rows);
  channel.write(`${cols} ${rows}\n`);
}

function checkSize(cols: number, rows: number): void {
  for (const [name, value] of [['cols', cols], ['rows', rows]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new OrchError('invalid-argument', `terminal: ${name} ${value}: must be an integer from 1 to 65535`);
  }
}
