import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { OrchError, systemError } from '../errors/orch-error.js';
import { readProcStat } from './process-start-time.js';
import { randomHex } from './random-hex.js';

/**
 * A cross-process lock file. Node has no flock(2), so: the lock is a file made by link(2) from a
 * private, fully written temp file (link fails with EEXIST if the lock exists, and readers never
 * see it half-written). It holds "<pid> <start time> <nonce>"; a lock whose pid is gone, or was
 * reused by another process (different start time), is stale and may be broken.
 */
export interface HeldLock {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  /** give up after this long; default 30 s (a `delete --force` may hold it ~10 s) */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 50;

type Attempt = { held: HeldLock } | { holder: string };

/** Waits without blocking the event loop: for library users with other work in flight. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const contender = new Contender(path);
  try {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (let backoff = 1; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      const attempt = contender.attempt();
      if ('held' in attempt) return attempt.held;
      if (Date.now() >= deadline) throw timedOut(path, attempt.holder);
      // a plain timer, not node:timers/promises: one module less for every orch call to load
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  } finally {
    contender.dispose();
  }
}

/**
 * Blocks the thread (Atomics.wait) while it waits. Deadlocks until the timeout if the holder is
 * this same process, so only for callers that hold no lock asynchronously.
 */
export function acquireLockSync(path: string, options: LockOptions = {}): HeldLock {
  const contender = new Contender(path);
  try {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (let backoff = 1; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      const attempt = contender.attempt();
      if ('held' in attempt) return attempt.held;
      if (Date.now() >= deadline) throw timedOut(path, attempt.holder);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, backoff);
    }
  } finally {
    contender.dispose();
  }
}

/** Whether the owner a lock file names is still that same live process. */
export function lockOwnerAlive(token: string): boolean {
  const [pid, startTime] = token.trim().split(' ').map(Number);
  if (!pid || !Number.isSafeInteger(pid) || startTime === undefined || !Number.isSafeInteger(startTime)) return false;
  const stat = readProcStat(pid);
  return stat !== null && stat.startTime === startTime && stat.state !== 'Z' && stat.state !== 'X';
}

/** One process' attempts at one lock: its token lives in a temp file beside the lock until done. */
class Contender {
  private readonly token: string;
  private readonly tmp: string;

  constructor(private readonly path: string) {
    const nonce = randomHex(16);
    const self = readProcStat(process.pid);
    this.token = `${process.pid} ${self?.startTime ?? 0} ${nonce}\n`;
    // '@' cannot appear in a container id, so these names never collide with a container dir
    this.tmp = `${path}@${process.pid}.${nonce}`;
    try {
      writeFileSync(this.tmp, this.token, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      throw systemError(`create lock file ${this.tmp}`, err);
    }
  }

  attempt(): Attempt {
    if (this.link(this.path)) return { held: this.held() };
    const holder = readToken(this.path);
    if (holder === null) return this.attempt(); // released in between: try again at once
    if (!lockOwnerAlive(holder)) {
      this.breakStale(holder);
      if (this.link(this.path)) return { held: this.held() };
    }
    return { holder };
  }

  dispose(): void {
    unlinkQuietly(this.tmp);
  }

  /**
   * Removes a stale lock under a second lock, so that two contenders who both saw the same dead
   * owner cannot each remove the other's fresh lock: only the breaker removes, and only the very
   * token it judged stale.
   */
  private breakStale(stale: string): void {
    const breaker = `${this.path}@break`;
    if (!this.link(breaker)) {
      const other = readToken(breaker);
      // a breaker that died mid-break (a window of microseconds) would block everyone forever
      if (other !== null && !lockOwnerAlive(other)) unlinkQuietly(breaker);
      return;
    }
    try {
      if (readToken(this.path) === stale) unlinkQuietly(this.path);
    } finally {
      unlinkQuietly(breaker);
    }
  }

  private link(target: string): boolean {
    try {
      linkSync(this.tmp, target);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw systemError(`create lock file ${target}`, err);
    }
  }

  private held(): HeldLock {
    const { path, token } = this;
    let released = false;
    return {
      path,
      release: () => {
        if (released) return;
        released = true;
        // never remove a lock that is not ours (ours can only be gone if judged stale wrongly)
        if (readToken(path) === token) unlinkQuietly(path);
      },
    };
  }
}

function readToken(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw systemError(`read lock file ${path}`, err);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function timedOut(path: string, holder: string): OrchError {
  const pid = holder.trim().split(' ')[0] ?? '?';
  return new OrchError('system', `timed out waiting for lock ${path} held by pid ${pid}`);
}
