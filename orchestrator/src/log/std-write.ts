import { writeSync } from 'node:fs';

/**
 * Writes to stdout/stderr with write(2) on fd 1/2 instead of process.stdout/stderr: the first use
 * of those streams loads Node's stream stack (and net, for a pipe), 3-10 ms of every orch call.
 * A blocking fd (the usual case) takes the whole text at once. Anything else (EAGAIN on a
 * non-blocking pipe, a short write, an error) hands the rest to the stream, which behaves as
 * before, and that fd keeps using the stream so that output stays in order.
 */
const useStream = [false, false, false];

function write(fd: 1 | 2, text: string): void {
  const stream = (): NodeJS.WriteStream => (fd === 1 ? process.stdout : process.stderr);
  if (useStream[fd]) {
    stream().write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    written = writeSync(fd, bytes);
  } catch {
    // left to the stream below, which reports the error as it always did
  }
  if (written === bytes.length) return;
  useStream[fd] = true;
  stream().write(bytes.subarray(written));
}

export function writeStdout(text: string): void {
  write(1, text);
}

export function writeStderr(text: string): void {
  write(2, text);
}
