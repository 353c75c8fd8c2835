import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type IPty } from 'node-pty';
import { ORCH_BIN } from '../support/orch-cli.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the C tools were built: beside $ORCH_INIT_HELPER, else build/native. */
export const nativeDir = process.env['ORCH_INIT_HELPER'] ? dirname(process.env['ORCH_INIT_HELPER']) : join(repo, 'build/native');
export const RECVTTY = join(nativeDir, 'recvtty');

/** `node dist/orch.cjs --root ROOT`, quoted for a shell script. */
export function orchCommand(root: string): string {
  return [process.execPath, ORCH_BIN, '--root', root].map(shellQuote).join(' ');
}

export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A user's terminal: a pty (node-pty) running a shell script, with what it shows collected, so
 * tests type, read the screen, resize and see the exit status as a person at a terminal would.
 */
export class TerminalSession {
  private screen = '';
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<number>;
  private readonly pty: IPty;

  constructor(script: string, size: { cols: number; rows: number } = { cols: 80, rows: 24 }) {
    this.pty = spawn('/bin/sh', ['-c', script], { ...size, name: 'xterm', env: { ...process.env } as Record<string, string> });
    this.pty.onData((data) => {
      this.screen += data;
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** pid of the script's shell, the pty's session leader */
  get pid(): number {
    return this.pty.pid;
  }

  /** The terminal device the script runs on (/dev/pts/N), to read its settings from outside. */
  get device(): string {
    return String(Reflect.get(this.pty, '_pty'));
  }

  /** `stty -g` of the terminal right now. */
  settings(): string {
    return execFileSync('stty', ['-g', '-F', this.device], { encoding: 'utf8' }).trim();
  }

  get output(): string {
    return this.screen;
  }

  type(text: string): void {
    this.pty.write(text);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
  }

  /** Waits until the screen, from offset `from`, matches; returns the match and where it ends. */
  async waitFor(pattern: RegExp | string, options: { from?: number; timeout?: number } = {}): Promise<{ match: RegExpMatchArray; end: number }> {
    const from = options.from ?? 0;
    const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
    const deadline = Date.now() + (options.timeout ?? 15_000);
    for (;;) {
      const match = this.screen.slice(from).match(regex);
      if (match?.index !== undefined) return { match, end: from + match.index + match[0].length };
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(regex)}; the screen shows:\n${JSON.stringify(this.screen.slice(from))}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  kill(): void {
    try {
      this.pty.kill('SIGKILL');
    } catch {
      // gone already
    }
  }
}
