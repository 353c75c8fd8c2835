import { connect, type Socket } from 'node:net';
import { OrchError } from '../../../errors/orch-error.js';
import { decodeMessage, encodeMessage, messageLength, MessageType, type DbusMessage } from './message.js';
import type { DbusValue } from './wire.js';

/** A method's error reply (org.freedesktop.systemd1.NoSuchUnit …), with the name to branch on. */
export class DbusError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'DbusError';
  }
}

export interface MethodCall {
  destination?: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

interface Pending {
  resolve: (m: DbusMessage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** dbus' default method call timeout. */
const CALL_TIMEOUT_MS = 25_000;

/**
 * One authenticated D-Bus connection over a unix socket: to a bus (Hello first) or straight to
 * systemd's private socket (peer to peer). Method calls resolve with the reply's body; signals go
 * to the listeners.
 */
export class DbusConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private serial = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly signalListeners = new Set<(m: DbusMessage) => void>();
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.fail(new OrchError('system', `D-Bus ${address}: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(new OrchError('system', `D-Bus ${address}: connection closed`)));
  }

  /** Connects to a unix socket (a leading NUL: abstract), authenticates as this process' uid, and says Hello on a bus. */
  static async open(socketPath: string, options: { bus: boolean; label?: string }): Promise<DbusConnection> {
    const label = options.label ?? socketPath.replace(/^\0/, '@');
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    try {
      await authenticate(socket, label);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    const conn = new DbusConnection(socket, label);
    if (options.bus) {
      await conn.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' });
    }
    return conn;
  }

  async call(c: MethodCall, timeoutMs = CALL_TIMEOUT_MS): Promise<DbusValue[]> {
    if (this.closedError) throw this.closedError;
    const serial = ++this.serial;
    const message: DbusMessage = { type: MessageType.methodCall, serial, ...c };
    const reply = await new Promise<DbusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(serial);
        reject(new OrchError('system', `D-Bus ${this.address}: no reply to ${c.interface}.${c.member} in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(serial, { resolve, reject, timer });
      this.socket.write(encodeMessage(message));
    });
    if (reply.type === MessageType.error) {
      const name = reply.errorName ?? 'org.freedesktop.DBus.Error.Failed';
      const text = typeof reply.body?.[0] === 'string' ? reply.body[0] : name;
      throw new DbusError(name, text);
    }
    return reply.body ?? [];
  }

  onSignal(listener: (m: DbusMessage) => void): () => void {
    this.signalListeners.add(listener);
    return () => this.signalListeners.delete(listener);
  }

  close(): void {
    this.closedError ??= new OrchError('system', `D-Bus ${this.address}: connection closed`);
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      for (;;) {
        const length = messageLength(this.buffer);
        if (length === undefined || this.buffer.length < length) return;
        const message = decodeMessage(this.buffer.subarray(0, length));
        this.buffer = this.buffer.subarray(length);
        this.dispatch(message);
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      this.socket.destroy();
    }
  }

  private dispatch(m: DbusMessage): void {
    if (m.type === MessageType.methodReturn || m.type === MessageType.error) {
      const pending = m.replySerial === undefined ? undefined : this.pending.get(m.replySerial);
      if (pending === undefined || m.replySerial === undefined) return;
      this.pending.delete(m.replySerial);
      clearTimeout(pending.timer);
      pending.resolve(m);
    } else if (m.type === MessageType.signal) {
      for (const listener of this.signalListeners) listener(m);
    } else if (m.type === MessageType.methodCall && (m.flags ?? 0) % 2 === 0) {
      // nothing is served here: say so, so the caller is not left waiting
      const serial = ++this.serial;
      this.socket.write(
        encodeMessage({
          type: MessageType.error,
          serial,
          replySerial: m.serial,
          errorName: 'org.freedesktop.DBus.Error.UnknownMethod',
          ...(m.sender !== undefined ? { destination: m.sender } : {}),
          signature: 's',
          body: [`orch serves no methods (${m.interface ?? ''}.${m.member ?? ''})`],
        }),
      );
    }
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    for (const [serial, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(serial);
    }
  }
}

/**
 * SASL EXTERNAL (specification, "Authentication Protocol"): the server checks the uid the kernel
 * reports for the socket (SO_PEERCRED) against the one sent, hex-encoded.
 */
async function authenticate(socket: Socket, label: string): Promise<void> {
  const uid = Buffer.from(String(process.geteuid?.() ?? 0), 'ascii').toString('hex');
  socket.write(`\0AUTH EXTERNAL ${uid}\r\n`);
  const line = await readLine(socket, label);
  if (!line.startsWith('OK ')) throw new OrchError('system', `D-Bus ${label}: authentication refused: ${line}`);
  socket.write('BEGIN\r\n');
}

function readLine(socket: Socket, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new OrchError('system', `D-Bus ${label}: no answer to authentication`)), CALL_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end >= 0) done(undefined, text.slice(0, end));
    };
    const onError = (err: Error): void => done(new OrchError('system', `D-Bus ${label}: ${err.message}`, { cause: err }));
    const onClose = (): void => done(new OrchError('system', `D-Bus ${label}: closed during authentication`));
    const done = (err: Error | undefined, value?: string): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(value ?? '');
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
