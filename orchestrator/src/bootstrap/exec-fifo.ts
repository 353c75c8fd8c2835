import { closeSync, constants, openSync, readSync, unlinkSync } from 'node:fs';
import { OrchError, systemError } from '../errors/orch-error.js';

/**
 * `start`: the init of a created container is blocked opening the exec fifo for writing. Opening
 * the read side lets it through; it writes one byte and execs the process. Reading that byte proves
 * the init was really there (end-of-file would mean it died in between).
 */
export function releaseExecFifo(fifoPath: string): void {
  let fd: number;
  try {
    fd = openSync(fifoPath, constants.O_RDONLY);
  } catch (err) {
    throw systemError(`open exec fifo ${fifoPath}`, err);
  }
  try {
    const byte = Buffer.alloc(1);
    const count = readSync(fd, byte, 0, 1, null);
    if (count !== 1) throw new OrchError('bad-state', 'cannot start an already running container');
  } finally {
    closeSync(fd);
    try {
      unlinkSync(fifoPath); // its absence is what makes the status "running"
    } catch {
      // removed concurrently
    }
  }
}
