import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { ContainerRecord } from './container-record.js';
import { validateContainerId } from './container-id.js';
import { acquireLock, acquireLockSync, type LockOptions } from './lock.js';
import { parseRecord } from './parse-record.js';
import { randomHex } from './random-hex.js';

/** runc's wording, so clients that match on it keep working. */
export const NOT_FOUND = 'container does not exist';

/**
 * Where containers live: <root>/<id>/ (0711, as runc) holding state.json (0600) and, between
 * create and start, exec.fifo. The per-container lock is <root>/<id>@lock, outside the dir, so it
 * can be taken before the dir exists and outlives its removal; '@' keeps it from naming a container.
 */
export class StateStore {
  constructor(readonly root: string) {}

  dir(id: string): string {
    // every path is built here: an id that could climb out of root never reaches the file system
    validateContainerId(id);
    return join(this.root, id);
  }

  statePath(id: string): string {
    return join(this.dir(id), 'state.json');
  }

  fifoPath(id: string): string {
    return join(this.dir(id), 'exec.fifo');
  }

  lockPath(id: string): string {
    return `${this.dir(id)}@lock`;
  }

  exists(id: string): boolean {
    try {
      return statSync(this.dir(id)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Makes the container's dir; it existing already is the "id in use" check. */
  claim(id: string): void {
    const dir = this.dir(id);
    this.ensureRoot();
    try {
      mkdirSync(dir, { mode: 0o711 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new OrchError('exists', 'container with given ID already exists');
      }
      throw systemError(`create state dir ${dir}`, err);
    }
  }

  /** Atomic replace: a temp file in the same dir, fsync'd, renamed over state.json. */
  write(record: ContainerRecord): void {
    const path = this.statePath(record.id);
    const tmp = `${path}.${randomHex(12)}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(record));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // never made, or already renamed
      }
      throw systemError(`write ${path}`, err);
    }
  }

  read(id: string): ContainerRecord {
    const path = this.statePath(id);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new OrchError('not-found', NOT_FOUND, { cause: err });
      throw systemError(`read ${path}`, err);
    }
    return parseRecord(text, path);
  }

  remove(id: string): void {
    const dir = this.dir(id);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      throw systemError(`remove state dir ${dir}`, err);
    }
  }

  /** Ids of the container dirs under root, sorted as runc's os.ReadDir returns them. */
  list(): string[] {
    let entries;
    try {
      entries = readdirSync(this.root, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw systemError(`read state root ${this.root}`, err);
    }
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }

  /** Runs fn holding the container's lock; the lock goes whatever fn does. */
  async withLock<T>(id: string, fn: () => T | Promise<T>, options?: LockOptions): Promise<T> {
    const path = this.lockPath(id);
    this.ensureRoot();
    const lock = await acquireLock(path, options);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  }

  /** withLock for synchronous callers: blocks the thread while another process holds the lock. */
  withLockSync<T>(id: string, fn: () => T, options?: LockOptions): T {
    const path = this.lockPath(id);
    this.ensureRoot();
    const lock = acquireLockSync(path, options);
    try {
      return fn();
    } finally {
      lock.release();
    }
  }

  private ensureRoot(): void {
    try {
      mkdirSync(this.root, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw systemError(`create state root ${this.root}`, err);
    }
  }
}
