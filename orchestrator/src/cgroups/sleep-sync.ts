/**
 * Blocks the thread for ms. Cgroup teardown waits on the kernel (tasks leaving, rmdir's EBUSY) for
 * at most about a second, and its callers run it synchronously (cleanup paths, `finally` blocks).
 */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
