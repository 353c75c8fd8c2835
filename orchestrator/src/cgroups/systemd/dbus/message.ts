import { OrchError } from '../../../errors/orch-error.js';
import { splitSignature, Variant, WireReader, WireWriter, type DbusValue } from './wire.js';

/** A D-Bus message: the header fields orch uses, and the body as values of `signature`. */
export const MessageType = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

export interface DbusMessage {
  type: MessageTypeCode;
  serial: number;
  flags?: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature?: string;
  body?: DbusValue[];
}

/** Header field codes and their types (specification, "Message Format"). */
const FIELDS = [
  [1, 'path', 'o'],
  [2, 'interface', 's'],
  [3, 'member', 's'],
  [4, 'errorName', 's'],
  [5, 'replySerial', 'u'],
  [6, 'destination', 's'],
  [7, 'sender', 's'],
  [8, 'signature', 'g'],
] as const;

/** The longest message the specification allows (128 MiB). */
const MAX_MESSAGE = 128 * 1024 * 1024;

export function encodeMessage(m: DbusMessage): Buffer {
  const body = new WireWriter();
  const sig = m.signature ?? '';
  const types = splitSignature(sig);
  const values = m.body ?? [];
  if (types.length !== values.length) throw new OrchError('system', `D-Bus: ${values.length} values for signature ${JSON.stringify(sig)}`);
  types.forEach((t, i) => body.write(t, values[i] as DbusValue));

  const fields: DbusValue[] = [];
  for (const [code, name, type] of FIELDS) {
    const value = m[name];
    if (value === undefined || (name === 'signature' && value === '')) continue;
    fields.push([code, new Variant(type, value)]);
  }
  const header = new WireWriter();
  header.write('y', 'l'.charCodeAt(0));
  header.write('y', m.type);
  header.write('y', m.flags ?? 0);
  header.write('y', 1);
  header.write('u', body.length);
  header.write('u', m.serial);
  header.write('a(yv)', fields);
  header.align(8);
  return Buffer.concat([header.bytes(), body.bytes()]);
}

/** The size of the message at the start of buf, or undefined while its fixed header is incomplete. */
export function messageLength(buf: Buffer): number | undefined {
  if (buf.length < 16) return undefined;
  const le = endianness(buf);
  const bodyLength = le ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  const fieldsLength = le ? buf.readUInt32LE(12) : buf.readUInt32BE(12);
  const total = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8) + bodyLength;
  if (total > MAX_MESSAGE) throw new OrchError('system', `D-Bus: a message of ${total} bytes is over the limit`);
  return total;
}

export function decodeMessage(buf: Buffer): DbusMessage {
  const le = endianness(buf);
  const reader = new WireReader(buf, le, 0, 12);
  const type = buf.readUInt8(1);
  if (type < 1 || type > 4) throw new OrchError('system', `D-Bus: unknown message type ${type}`);
  const m: DbusMessage = { type: type as MessageTypeCode, flags: buf.readUInt8(2), serial: le ? buf.readUInt32LE(8) : buf.readUInt32BE(8) };
  for (const entry of reader.read('a(yv)') as Array<[number, Variant]>) {
    const field = FIELDS.find(([code]) => code === entry[0]);
    if (field === undefined) continue; // fields a reader does not know are ignored (specification)
    const value = entry[1].value;
    if (field[1] === 'replySerial') m.replySerial = value as number;
    else m[field[1]] = value as string;
  }
  reader.align(8);
  const types = splitSignature(m.signature ?? '');
  m.body = types.map((t) => reader.read(t));
  return m;
}

function endianness(buf: Buffer): boolean {
  const mark = String.fromCharCode(buf.readUInt8(0));
  if (mark !== 'l' && mark !== 'B') throw new OrchError('system', `D-Bus: bad endianness mark ${JSON.stringify(mark)}`);
  return mark === 'l';
}
