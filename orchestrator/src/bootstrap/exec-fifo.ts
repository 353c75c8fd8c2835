import { closeSync, constants, openSync, readSync, unlinkSync } from 'node:fs';
import { OrchError, systemError } from '../errors/orch-error.js';
import { isAlive, type ProcessRef } from '../state/intent.js';

/**
 * `start`: the init of a created container is blocked opening the exec fifo for writing. Opening
 * the read side lets it through; it runs the startContainer hooks, writes one byte "0" and execs the
 * process. Reading that byte proves the init was really there. Anything else it writes is why it
 * gave up (a failed startContainer hook): the error. The wait's cause is the init: the read side is
 * non-blocking and polled, so an init that dies first ends it instead of blocking start forever.
 */
export async function releaseExecFifo(fifoPath: string, init: ProcessRef): Promise<void> {
  let fd: number;
  try {
    fd = openSync(fifoPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw systemError(`open exec fifo ${fifoPath}`, err);
  }
  try {
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(4096);
    for (let tries = 0; ; tries++) {
      // asked before the read: an init that wrote, exec'd and exited between a read and the check
      // has left its byte in the pipe, and this read gets it
      const initAlive = isAlive(init);
      let n = -1; // -1: a writer is there but has written nothing yet
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw systemError(`read exec fifo ${fifoPath}`, err);
      }
      if (n > 0) {
        if (chunks.length === 0 && chunk[0] === 0x30) return;
        chunks.push(Buffer.from(chunk.subarray(0, n)));
        continue;
      }
      // 0 is end-of-file once the init has written (it closed its end), or no writer yet before
      if (chunks.length > 0 && n === 0) break;
      if (!initAlive) {
        if (chunks.length > 0) break;
        throw new OrchError('bad-state', 'cannot start a container that has stopped');
      }
      // the init writes at once unless a startContainer hook runs: poll fast, then back off
      await new Promise((resolve) => (tries < 20 ? setImmediate(resolve) : setTimeout(resolve, Math.min(tries - 19, 20))));
    }
    throw new OrchError('init-failed', Buffer.concat(chunks).toString('utf8'));
  } finally {
    closeSync(fd);
    try {
      unlinkSync(fifoPath); // its absence is what makes the status "running"
    } catch {
      // removed concurrently
    }
  }
}
