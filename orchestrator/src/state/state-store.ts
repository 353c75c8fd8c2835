import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { ContainerRecord } from './container-record.js';
import { isAlive, type IntentRecord } from './intent.js';
import type { OperationRecord } from './operation.js';
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

  intentPath(id: string): string {
    return join(this.dir(id), 'intent.json');
  }

  operationPath(id: string): string {
    return join(this.dir(id), 'operation.json');
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

  /**
   * Makes the container's dir; it existing already is the "id in use" check. With an intent, the
   * dir appears with intent.json already in it (made aside as <id>@claim-*, then renamed), so a
   * claim killed at any moment leaves either nothing under the id or a record of it.
   */
  claim(id: string, intent?: IntentRecord): void {
    const dir = this.dir(id);
    this.ensureRoot();
    if (!intent) {
      this.claimDir(id, () => mkdirSync(dir, { mode: 0o711 }));
      return;
    }
    this.removeStaleClaims(id);
    const aside = `${dir}@claim-${randomHex(8)}`;
    try {
      mkdirSync(aside, { mode: 0o711 });
      this.writeAtomically(join(aside, 'intent.json'), JSON.stringify(intent));
    } catch (err) {
      rmSync(aside, { recursive: true, force: true });
      throw systemError(`create state dir ${aside}`, err);
    }
    try {
      this.claimDir(id, () => renameSync(aside, dir));
    } finally {
      rmSync(aside, { recursive: true, force: true });
    }
  }

  private claimDir(id: string, make: () => void): void {
    try {
      make();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') {
        const intent = this.readIntent(id);
        if (intent && !isAlive(intent.creator) && !existsSync(this.statePath(id))) {
          throw new OrchError('exists', `container ${id} was left half-made by an interrupted create: remove it with \`delete ${id}\` first`);
        }
        throw new OrchError('exists', 'container with given ID already exists');
      }
      throw systemError(`create state dir ${this.dir(id)}`, err);
    }
  }

  /** <id>@claim-* dirs of claims killed before their rename (held lock: none is in progress). */
  private removeStaleClaims(id: string): void {
    const prefix = `${id}@claim-`;
    let names: string[] = [];
    try {
      names = readdirSync(this.root).filter((name) => name.startsWith(prefix));
    } catch {
      return;
    }
    for (const name of names) rmSync(join(this.root, name), { recursive: true, force: true });
  }

  /** Atomic replace of state.json; the intent record it supersedes goes. */
  write(record: ContainerRecord): void {
    this.writeAtomically(this.statePath(record.id), JSON.stringify(record));
    try {
      unlinkSync(this.intentPath(record.id));
    } catch {
      // never written, or gone already
    }
  }

  /** Atomic replace of intent.json (a create in progress). */
  writeIntent(intent: IntentRecord): void {
    this.writeAtomically(this.intentPath(intent.id), JSON.stringify(intent));
  }

  /** The intent record of a create that has not written state.json, if any. */
  readIntent(id: string): IntentRecord | undefined {
    return this.readRecord<IntentRecord>(this.intentPath(id));
  }

  /** Atomic replace of operation.json (an update, pause or checkpoint in progress). */
  writeOperation(id: string, operation: OperationRecord): void {
    this.writeAtomically(this.operationPath(id), JSON.stringify(operation));
  }

  /** The record of an operation in progress (or interrupted), if any. */
  readOperation(id: string): OperationRecord | undefined {
    return this.readRecord<OperationRecord>(this.operationPath(id));
  }

  /**
   * An intent or operation record; undefined when there is none. Written by rename, it is never
   * torn: a temp file left by a kill before the rename is not it, and what it would have named
   * was not begun.
   */
  private readRecord<T>(path: string): T | undefined {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  clearOperation(id: string): void {
    try {
      unlinkSync(this.operationPath(id));
    } catch {
      // never written, or gone already
    }
  }

  /**
   * A temp file in the same dir, renamed over path: a reader, or a process killed at any moment,
   * sees the old record or the new one. Not fsync'd: what this guards against is a killed process,
   * whose writes the page cache keeps; the state root is /run's tmpfs, gone at reboot anyway (as
   * runc's, which does not sync either), and a sync costs ~1.5 ms per write on a disk.
   */
  private writeAtomically(path: string, text: string): void {
    const tmp = `${path}.${randomHex(12)}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, text);
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
      .filter((e) => e.isDirectory() && !e.name.includes('@')) // <id>@claim-*: a claim not made yet
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
