import type { Process } from '../config/spec-types.js';

/**
 * A foreground process with a terminal starts at the size of the caller's terminal, as runc sets
 * consoleSize from its stdin: the pty then has its size before the process first looks at it,
 * instead of 0x0 until the relay's first resize.
 */
export function applyCallerTerminalSize(process_: Process, foreground: boolean): void {
  if (!foreground || !process_.terminal || process_.consoleSize) return;
  const out = process.stdout;
  if (!out.isTTY || !out.columns || !out.rows) return;
  process_.consoleSize = { height: out.rows, width: out.columns };
}
