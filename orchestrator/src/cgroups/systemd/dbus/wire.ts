import { OrchError } from '../../../errors/orch-error.js';

/**
 * The D-Bus wire format (D-Bus specification, "Marshaling"): values as signatures describe them,
 * aligned to their natural boundary from the start of the message. Only what a systemd client
 * sends and reads is here; unix fds (h) are not passed.
 *
 * JS shapes: y n q i u → number; x t → bigint (numbers accepted when writing); b → boolean;
 * d → number; s o g → string; v → Variant; a… → array (ay also as a Buffer); (…) and {…} → array
 * of the fields.
 */
export type DbusValue = number | bigint | boolean | string | Buffer | Variant | DbusValue[];

export class Variant {
  constructor(
    readonly signature: string,
    readonly value: DbusValue,
  ) {}
}

/** Where the complete type starting at sig[start] ends (exclusive). */
export function typeEnd(sig: string, start: number): number {
  const c = sig[start];
  if (c === undefined) throw new OrchError('system', `D-Bus signature ${JSON.stringify(sig)}: a type is missing`);
  if (c === 'a') return typeEnd(sig, start + 1);
  if (c === '(' || c === '{') {
    const close = c === '(' ? ')' : '}';
    let i = start + 1;
    while (sig[i] !== close) {
      if (i >= sig.length) throw new OrchError('system', `D-Bus signature ${JSON.stringify(sig)}: unclosed ${c}`);
      i = typeEnd(sig, i);
    }
    return i + 1;
  }
  if (!'ybnqiuxtdsogvh'.includes(c)) throw new OrchError('system', `D-Bus signature ${JSON.stringify(sig)}: unknown type ${c}`);
  return start + 1;
}

/** A signature split into its complete types: "sa(sv)b" → ["s", "a(sv)", "b"]. */
export function splitSignature(sig: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < sig.length; ) {
    const end = typeEnd(sig, i);
    out.push(sig.slice(i, end));
    i = end;
  }
  return out;
}

function alignment(type: string): number {
  switch (type[0]) {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default:
      return 4;
  }
}

/** Fields of a struct or dict-entry type: "(sv)" → ["s", "v"]. */
function fieldsOf(type: string): string[] {
  return splitSignature(type.slice(1, -1));
}

export class WireWriter {
  private buf = Buffer.alloc(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  align(n: number): void {
    while (this.len % n !== 0) this.u8(0);
  }

  write(type: string, value: DbusValue): void {
    switch (type[0]) {
      case 'y':
        return this.u8(num(value, type));
      case 'b':
        this.align(4);
        return this.u32(value === true ? 1 : value === false ? 0 : fail(type, value));
      case 'n':
        this.align(2);
        this.room(2);
        this.len = this.buf.writeInt16LE(num(value, type), this.len);
        return;
      case 'q':
        this.align(2);
        this.room(2);
        this.len = this.buf.writeUInt16LE(num(value, type), this.len);
        return;
      case 'i':
        this.align(4);
        this.room(4);
        this.len = this.buf.writeInt32LE(num(value, type), this.len);
        return;
      case 'u':
      case 'h':
        this.align(4);
        return this.u32(num(value, type));
      case 'x':
        this.align(8);
        this.room(8);
        this.len = this.buf.writeBigInt64LE(big(value, type), this.len);
        return;
      case 't':
        this.align(8);
        this.room(8);
        this.len = this.buf.writeBigUInt64LE(big(value, type), this.len);
        return;
      case 'd':
        this.align(8);
        this.room(8);
        this.len = this.buf.writeDoubleLE(num(value, type), this.len);
        return;
      case 's':
      case 'o': {
        const bytes = Buffer.from(str(value, type), 'utf8');
        this.align(4);
        this.u32(bytes.length);
        this.raw(bytes);
        return this.u8(0);
      }
      case 'g': {
        const bytes = Buffer.from(str(value, type), 'ascii');
        this.u8(bytes.length);
        this.raw(bytes);
        return this.u8(0);
      }
      case 'v': {
        if (!(value instanceof Variant)) return fail(type, value);
        this.write('g', value.signature);
        return this.write(value.signature, value.value);
      }
      case 'a':
        return this.array(type.slice(1), value);
      case '(':
      case '{': {
        if (!Array.isArray(value)) return fail(type, value);
        const fields = fieldsOf(type);
        if (fields.length !== value.length) return fail(type, value);
        this.align(8);
        fields.forEach((f, i) => this.write(f, value[i] as DbusValue));
        return;
      }
      default:
        throw new OrchError('system', `D-Bus: cannot write type ${type}`);
    }
  }

  private array(element: string, value: DbusValue): void {
    this.align(4);
    const lengthAt = this.len;
    this.u32(0);
    this.align(alignment(element));
    const start = this.len;
    if (element === 'y' && Buffer.isBuffer(value)) this.raw(value);
    else if (Array.isArray(value)) for (const item of value) this.write(element, item);
    else fail(`a${element}`, value);
    this.buf.writeUInt32LE(this.len - start, lengthAt);
  }

  private u8(v: number): void {
    this.room(1);
    this.len = this.buf.writeUInt8(v, this.len);
  }

  private u32(v: number): void {
    this.room(4);
    this.len = this.buf.writeUInt32LE(v, this.len);
  }

  private raw(bytes: Buffer): void {
    this.room(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

/** Reads values from a message; `offset` is where the message starts in buf (alignment counts from there). */
export class WireReader {
  pos: number;

  constructor(
    private readonly buf: Buffer,
    private readonly littleEndian: boolean,
    private readonly base = 0,
    start = base,
  ) {
    this.pos = start;
  }

  align(n: number): void {
    const rel = this.pos - this.base;
    this.pos += (n - (rel % n)) % n;
  }

  read(type: string): DbusValue {
    const le = this.littleEndian;
    switch (type[0]) {
      case 'y':
        this.need(1);
        return this.buf.readUInt8(this.pos++);
      case 'b':
        return this.u32() !== 0;
      case 'n':
        this.align(2);
        this.need(2);
        return this.advance(2, le ? this.buf.readInt16LE(this.pos) : this.buf.readInt16BE(this.pos));
      case 'q':
        this.align(2);
        this.need(2);
        return this.advance(2, le ? this.buf.readUInt16LE(this.pos) : this.buf.readUInt16BE(this.pos));
      case 'i':
        this.align(4);
        this.need(4);
        return this.advance(4, le ? this.buf.readInt32LE(this.pos) : this.buf.readInt32BE(this.pos));
      case 'u':
      case 'h':
        return this.u32();
      case 'x':
        this.align(8);
        this.need(8);
        return this.advance(8, le ? this.buf.readBigInt64LE(this.pos) : this.buf.readBigInt64BE(this.pos));
      case 't':
        this.align(8);
        this.need(8);
        return this.advance(8, le ? this.buf.readBigUInt64LE(this.pos) : this.buf.readBigUInt64BE(this.pos));
      case 'd':
        this.align(8);
        this.need(8);
        return this.advance(8, le ? this.buf.readDoubleLE(this.pos) : this.buf.readDoubleBE(this.pos));
      case 's':
      case 'o': {
        const n = this.u32();
        this.need(n + 1);
        const s = this.buf.toString('utf8', this.pos, this.pos + n);
        this.pos += n + 1;
        return s;
      }
      case 'g': {
        this.need(1);
        const n = this.buf.readUInt8(this.pos++);
        this.need(n + 1);
        const s = this.buf.toString('ascii', this.pos, this.pos + n);
        this.pos += n + 1;
        return s;
      }
      case 'v': {
        const sig = this.read('g') as string;
        if (splitSignature(sig).length !== 1) throw new OrchError('system', `D-Bus: variant signature ${JSON.stringify(sig)} is not one type`);
        return new Variant(sig, this.read(sig));
      }
      case 'a': {
        const n = this.u32();
        const element = type.slice(1);
        this.align(alignment(element));
        const end = this.pos + n;
        this.need(n);
        if (element === 'y') {
          const bytes = Buffer.from(this.buf.subarray(this.pos, end));
          this.pos = end;
          return bytes;
        }
        const out: DbusValue[] = [];
        while (this.pos < end) out.push(this.read(element));
        if (this.pos !== end) throw new OrchError('system', 'D-Bus: array elements overran the array length');
        return out;
      }
      case '(':
      case '{':
        this.align(8);
        return fieldsOf(type).map((f) => this.read(f));
      default:
        throw new OrchError('system', `D-Bus: cannot read type ${type}`);
    }
  }

  private u32(): number {
    this.align(4);
    this.need(4);
    return this.advance(4, this.littleEndian ? this.buf.readUInt32LE(this.pos) : this.buf.readUInt32BE(this.pos));
  }

  private advance<T>(n: number, value: T): T {
    this.pos += n;
    return value;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new OrchError('system', 'D-Bus: message truncated');
  }
}

function num(value: DbusValue, type: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return fail(type, value);
}

function big(value: DbusValue, type: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return fail(type, value);
}

function str(value: DbusValue, type: string): string {
  return typeof value === 'string' ? value : fail(type, value);
}

function fail(type: string, value: DbusValue): never {
  const shown = typeof value === 'bigint' ? `${value}n` : value instanceof Variant ? `variant ${value.signature}` : JSON.stringify(value);
  throw new OrchError('system', `D-Bus: ${shown} is not a value of type ${type}`);
}
