import { OrchError } from '../errors/orch-error.js';
import type { Logger } from '../log/logger.js';
import type { CliIo } from './command.js';

/**
 * As runc's fatal(): the error is logged at level error (to --log in its format, else to stderr),
 * and when the log is a file the bare message also goes to stderr for whoever ran orch.
 */
export function reportError(err: unknown, log: Logger, io: CliIo): void {
  const message = errorMessage(err);
  log.error(message);
  if (!log.toStderr) io.stderr(`${message}\n`);
  // anything but an OrchError is a bug in orch: keep the trace for --debug
  if (!(err instanceof OrchError) && err instanceof Error && err.stack) log.debug(err.stack);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
