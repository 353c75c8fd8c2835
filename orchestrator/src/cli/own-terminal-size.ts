import type { ConsoleSize } from '../console/caller-terminal-size.js';

/** The size of the terminal on this process's stdout, if it is one (runc reads its stdin's). */
export function ownTerminalSize(): ConsoleSize | undefined {
  const out = process.stdout;
  return out.isTTY && out.columns && out.rows ? { width: out.columns, height: out.rows } : undefined;
}
