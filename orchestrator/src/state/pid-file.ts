import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { systemError } from '../errors/orch-error.js';

/**
 * --pid-file as runc writes it: the bare number, no newline, into ".<name>" beside the target and
 * renamed over it, so conmon/containerd never read a half-written file.
 */
export function writePidFile(path: string, pid: number): void {
  const tmp = join(dirname(path), `.${basename(path)}`);
  try {
    const fd = openSync(tmp, 'wx', 0o666);
    try {
      writeSync(fd, String(pid));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // it was never made, or is gone already
    }
    throw systemError(`write pid file ${path}`, err);
  }
}
