import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../errors/orch-error.js';

/**
 * A cgroup control file the kernel refused to open, read or write. The message names the
 * controller, the operation, the path and the errno text, as Go prints them
 * ("cgroup memory: write /sys/fs/cgroup/memory/c1/memory.limit_in_bytes: invalid argument");
 * `errno` keeps the code ("EINVAL") for callers that retry on some of them, as runc does.
 */
export class CgroupFileError extends OrchError {
  constructor(controller: string, op: 'open' | 'read' | 'write', path: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    super('system', `cgroup ${controller}: ${op} ${path}: ${errnoText(cause)}`, { cause, path, ...(errno ? { errno } : {}) });
    this.name = 'CgroupFileError';
  }
}

/**
 * Writes data to <dir>/<file> in one write(2), as the kernel parses each write on its own. The file
 * is opened O_WRONLY without O_CREAT: a missing file must fail with ENOENT, and many cgroup files
 * are write-only (an O_RDWR open of those fails). O_TRUNC, which cgroupfs ignores (as `echo >`
 * relies on), keeps a plain file standing in for a cgroup file (tests) holding the last value.
 */
export function writeCgroupFile(controller: string, dir: string, file: string, data: string): void {
  writeCgroupLines(controller, dir, file, [data]);
}

/** Writes each line with its own write(2) on one open file (runc's WriteFileByLine for unified values). */
export function writeCgroupLines(controller: string, dir: string, file: string, lines: readonly string[]): void {
  const path = join(dir, file);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC);
  } catch (err) {
    throw new CgroupFileError(controller, 'open', path, err);
  }
  try {
    for (const line of lines) {
      try {
        writeSync(fd, line);
      } catch (err) {
        throw new CgroupFileError(controller, 'write', path, err);
      }
    }
  } finally {
    closeSync(fd);
  }
}

export function readCgroupFile(controller: string, dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CgroupFileError(controller, 'read', path, err);
  }
}

/** The file's text, or undefined when it does not exist (an optional kernel feature). */
export function readCgroupFileIfExists(controller: string, dir: string, file: string): string | undefined {
  try {
    return readCgroupFile(controller, dir, file);
  } catch (err) {
    if (err instanceof CgroupFileError && err.errno === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether a CgroupFileError (or any error) carries this errno. */
export function hasErrno(err: unknown, errno: string): boolean {
  return err instanceof CgroupFileError ? err.errno === errno : (err as NodeJS.ErrnoException | undefined)?.code === errno;
}

/** "EINVAL: invalid argument, write" -> "invalid argument", the text Go prints for an errno. */
function errnoText(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return /^E[A-Z0-9]+: ([^,]+)/.exec(message)?.[1] ?? message;
}
