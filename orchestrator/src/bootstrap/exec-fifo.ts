import { closeSync, constants, openSync, readSync, unlinkSync } from 'node:fs';
import { OrchError, systemError } from '../errors/orch-error.js';

/**
 * `start`: the init of a created container is blocked opening the exec fifo for writing. Opening
 * the read side lets it through; it runs the startContainer hooks, writes one byte "0" and execs the
 * process. Reading that byte proves the init was really there (end-of-file would mean it died in
 * between). Anything else it writes is why it gave up (a failed startContainer hook): the error.
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
    if (byte[0] !== 0x30) throw new OrchError('init-failed', Buffer.concat([byte, readRest(fd)]).toString('utf8'));
  } finally {
    closeSync(fd);
    try {
      unlinkSync(fifoPath); // its absence is what makes the status "running"
    } catch {
      // removed concurrently
    }
  }
}

/** What the init wrote after its first byte, up to end-of-file. */
function readRest(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(4096);
  for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) chunks.push(Buffer.from(chunk.subarray(0, n)));
  return Buffer.concat(chunks);
}
