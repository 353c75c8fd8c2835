import type { Process } from '../config/spec-types.js';

/** A terminal's size, as process.consoleSize has it. */
export interface ConsoleSize {
  width: number;
  height: number;
}

/**
 * A foreground process with a terminal starts at the caller's size (the CLI: its own terminal's,
 * as runc sets consoleSize from its stdin; a library caller: the one it gives): the pty then has
 * its size before the process first looks at it, instead of 0x0 until the first resize. A
 * consoleSize in the spec wins.
 */
export function applyCallerTerminalSize(process_: Process, foreground: boolean, size: ConsoleSize | undefined): void {
  if (!foreground || !process_.terminal || process_.consoleSize || !size) return;
  process_.consoleSize = { height: size.height, width: size.width };
}
