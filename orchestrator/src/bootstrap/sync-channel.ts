import type { Readable, Writable } from 'node:stream';
import { SYNC, SYNC_PAYLOADS, type SyncPayloads, type SyncType } from '../protocol/protocol.js';
import type { InitConfig } from './init-config.js';
import { OrchError } from '../errors/orch-error.js';

export interface SyncMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * The orchestrator's end of the sync socket: JSON lines in both directions (shared/init-config.md).
 * End-of-file is a message too: it means every helper stage closed its end.
 */
export class SyncChannel {
  private buffered = '';
  private readonly queue: SyncMessage[] = [];
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.onData(chunk));
    input.on('end', () => this.finish());
    input.on('close', () => this.finish());
    input.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNRESET: the helper died with unread data; treat it as end-of-file.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') this.failure = err;
      this.finish();
    });
    output.on('error', () => undefined); // a write to a dead helper surfaces as end-of-file on read
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line.trim() === '') continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed !== 'object' || parsed === null || typeof (parsed as SyncMessage).type !== 'string') {
          throw new Error('not a message object');
        }
        this.queue.push(parsed as SyncMessage);
      } catch (err) {
        this.failure = new OrchError('init-failed', `init sent a malformed sync message ${JSON.stringify(line)}: ${(err as Error).message}`);
      }
    }
    this.notify();
  }

  private finish(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The bootstrap message (bytes), or the init config (the one JSON line without a type of its own). */
  sendRaw(data: Buffer | InitConfig): void {
    this.output.write(Buffer.isBuffer(data) ? data : `${JSON.stringify(data)}\n`);
  }

  /** One message of the protocol, its payload as shared/protocol.json gives it. */
  send<T extends SyncType>(type: T, ...payload: keyof SyncPayloads[T] extends never ? [] : [SyncPayloads[T]]): void {
    this.output.write(`${JSON.stringify({ type, ...payload[0] })}\n`);
  }

  /** The next message, or null at end-of-file. */
  async next(): Promise<SyncMessage | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const message = this.queue.shift();
      if (message) return message;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /**
   * The next message, which must be of `type` with the payload shared/protocol.json gives it (its
   * fields checked); procError and end-of-file become OrchErrors.
   */
  async expect<T extends SyncType>(type: T, what: string): Promise<SyncPayloads[T]> {
    const message = await this.next();
    if (message === null) throw new OrchError('init-failed', `container init exited before ${what}`);
    if (message.type === SYNC.procError) throw new OrchError('init-failed', String(message['message'] ?? 'unknown error'));
    if (message.type !== type) throw new OrchError('init-failed', `expected ${type} from the init, got ${message.type}`);
    for (const field of SYNC_PAYLOADS[type]) {
      const value = message[field.key];
      if (value === undefined ? field.required : !hasJsonType(value, field.type)) {
        throw new OrchError('init-failed', `init sent ${type} with ${value === undefined ? 'no' : 'a bad'} ${field.key}: ${JSON.stringify(message)}`);
      }
    }
    return message as unknown as SyncPayloads[T];
  }

  /** Waits for end-of-file; a procError before it is the init's failure. */
  async expectEnd(what: string): Promise<void> {
    const message = await this.next();
    if (message === null) return;
    if (message.type === SYNC.procError) throw new OrchError('init-failed', String(message['message'] ?? 'unknown error'));
    throw new OrchError('init-failed', `unexpected ${message.type} from the init while waiting for ${what}`);
  }

  close(): void {
    this.input.destroy();
    this.output.destroy();
  }
}

/** protocol.json's payload types, checked on a parsed value. */
function hasJsonType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}
