/**
 * The one error type the orchestrator throws on purpose. `message` is the line the CLI prints;
 * `code` lets library users branch without parsing text.
 */
export type OrchErrorCode =
  | 'invalid-argument' // a flag, an id or an argument is wrong
  | 'invalid-config' // config.json failed validation
  | 'exists' // a container with that id already exists
  | 'not-found' // no container with that id
  | 'bad-state' // the container is in the wrong state for the command
  | 'system' // a syscall or file operation failed
  | 'init-failed' // the init helper reported procError or died
  | 'unsupported'; // a feature orch does not have (yet)

/** What an OrchError may carry beyond its message, for callers that branch on it. */
export interface OrchErrorDetails {
  cause?: unknown;
  /** the errno's name of the syscall that failed (ENOENT, EBUSY …) */
  errno?: string;
  /** the file or directory it failed on */
  path?: string;
  /** the config field at fault, as config.json names it (linux.resources.memory.limit) */
  field?: string;
}

/** An error orch throws on purpose: `message` is the line the CLI prints, `code` what went wrong. */
export class OrchError extends Error {
  /** what kind of failure, for callers that branch on it */
  readonly code: OrchErrorCode;
  /** the errno's name of the syscall that failed (ENOENT, EBUSY …), where one did */
  readonly errno: string | undefined;
  /** the file or directory it failed on, where there is one */
  readonly path: string | undefined;
  /** the config field at fault, as config.json names it (linux.resources.memory.limit) */
  readonly field: string | undefined;

  constructor(code: OrchErrorCode, message: string, details?: OrchErrorDetails) {
    super(message, details?.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'OrchError';
    this.code = code;
    this.errno = details?.errno;
    this.path = details?.path;
    this.field = details?.field;
  }
}

/** Wraps a Node fs/syscall error with what was being done, keeping errno's name (ENOENT …). */
export function systemError(what: string, cause: unknown): OrchError {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
  const path = (cause as NodeJS.ErrnoException | undefined)?.path;
  const detail = errno ?? (cause instanceof Error ? cause.message : String(cause));
  return new OrchError('system', `${what}: ${detail}`, { cause, ...(errno ? { errno } : {}), ...(path ? { path } : {}) });
}
