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

export class OrchError extends Error {
  readonly code: OrchErrorCode;

  constructor(code: OrchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrchError';
    this.code = code;
  }
}

/** Wraps a Node fs/syscall error with what was being done, keeping errno's name (ENOENT …). */
export function systemError(what: string, cause: unknown): OrchError {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
  const detail = errno ?? (cause instanceof Error ? cause.message : String(cause));
  return new OrchError('system', `${what}: ${detail}`, { cause });
}
