import { OrchError } from '../../errors/orch-error.js';
import { Variant, type DbusValue } from './dbus/wire.js';
import type { UnitProperty } from './systemd-manager.js';

const PREFIX = 'org.systemd.property.';

/**
 * Extra unit properties from annotations, as runc takes them: "org.systemd.property.<Name>" with
 * the value in GVariant text ("uint64 123", "'inactive-or-failed'", "true", "@as []"). <Name> is
 * letters only, 3 or more; a name ending in lower-case + "Sec" is sent as …USec, the number in
 * microseconds (TimeoutStopSec=2 → TimeoutStopUSec=2000000).
 */
export function annotationProperties(annotations: Record<string, string> | undefined): UnitProperty[] {
  const props: UnitProperty[] = [];
  for (const [key, text] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(PREFIX)) continue;
    let name = key.slice(PREFIX.length);
    if (name.length < 3) throw new OrchError('invalid-config', `annotation ${key} name incorrect: too short`);
    if (!/^[A-Za-z]+$/.test(name)) throw new OrchError('invalid-config', `annotation ${key} name incorrect: contains non-alphabetic character`);
    let value: Variant;
    try {
      value = parseGVariant(text);
      if (/[a-z]Sec$/.test(name)) {
        name = `${name.slice(0, -3)}USec`;
        value = new Variant('t', secondsToMicro(value));
      }
    } catch (err) {
      throw new OrchError('invalid-config', `annotation ${key}=${text} value parse error: ${err instanceof Error ? err.message : String(err)}`);
    }
    props.push([name, value]);
  }
  return props;
}

function secondsToMicro(v: Variant): bigint {
  const M = 1_000_000n;
  if (v.signature === 'd' && typeof v.value === 'number') return BigInt(Math.floor(v.value * 1_000_000));
  if ('ynqiuxt'.includes(v.signature) && v.signature.length === 1) return BigInt(v.value as number | bigint) * M;
  throw new Error('not a number');
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'b',
  byte: 'y',
  int16: 'n',
  uint16: 'q',
  int32: 'i',
  uint32: 'u',
  int64: 'x',
  uint64: 't',
  double: 'd',
  string: 's',
  objectpath: 'o',
  signature: 'g',
};

/**
 * The part of the GVariant text format unit properties use: booleans, numbers (bare integers are
 * int32, as in GLib), quoted strings, arrays, with a type keyword ("uint64 5") or "@sig" before.
 */
export function parseGVariant(text: string): Variant {
  const p = new Parser(text);
  const v = p.value(undefined);
  p.end();
  return v;
}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  end(): void {
    this.space();
    if (this.i < this.s.length) throw new Error(`unexpected ${JSON.stringify(this.s.slice(this.i))}`);
  }

  value(expected: string | undefined): Variant {
    this.space();
    let type = expected;
    if (this.s[this.i] === '@') {
      const m = /^@([a-z(){}]+)\s*/.exec(this.s.slice(this.i));
      if (!m?.[1]) throw new Error('bad type annotation');
      type = m[1];
      this.i += m[0].length;
    } else {
      const m = /^([a-z]+[0-9]*)\s+/.exec(this.s.slice(this.i));
      const word = m?.[1];
      if (m && word !== undefined && TYPE_WORDS[word] !== undefined) {
        type = TYPE_WORDS[word];
        this.i += m[0].length;
      }
    }
    this.space();
    const c = this.s[this.i];
    if (c === '[') return this.array(type);
    if (c === "'" || c === '"') return this.typed(type ?? 's', this.string());
    const m = /^(true|false|[-+]?[0-9][0-9a-fA-FxX.eE+-]*)/.exec(this.s.slice(this.i));
    if (!m?.[1]) throw new Error(`cannot parse ${JSON.stringify(this.s.slice(this.i))}`);
    this.i += m[1].length;
    const word = m[1];
    if (word === 'true' || word === 'false') return this.typed(type ?? 'b', word === 'true');
    if (type === undefined) type = /[.eE]/.test(word) && !/^[-+]?0[xX]/.test(word) ? 'd' : 'i';
    return this.typed(type, word);
  }

  private array(type: string | undefined): Variant {
    if (type !== undefined && type[0] !== 'a') throw new Error(`an array is not a ${type}`);
    this.i++; // [
    const items: Variant[] = [];
    let element = type?.slice(1);
    for (;;) {
      this.space();
      if (this.s[this.i] === ']') {
        this.i++;
        break;
      }
      if (items.length > 0) {
        if (this.s[this.i] !== ',') throw new Error('expected , in array');
        this.i++;
      }
      const item = this.value(element);
      element ??= item.signature;
      if (item.signature !== element) throw new Error(`array mixes ${element} and ${item.signature}`);
      items.push(item);
    }
    if (element === undefined) throw new Error('the type of an empty array must be given (@as [])');
    return new Variant(`a${element}`, items.map((v) => v.value));
  }

  private typed(type: string, raw: string | boolean): Variant {
    if (typeof raw === 'boolean') {
      if (type !== 'b') throw new Error(`${String(raw)} is not a ${type}`);
      return new Variant('b', raw);
    }
    if (type === 's' || type === 'o' || type === 'g') return new Variant(type, raw);
    if (type === 'd') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${raw} is not a double`);
      return new Variant('d', n);
    }
    const ranges: Record<string, [bigint, bigint]> = {
      y: [0n, 255n],
      n: [-32768n, 32767n],
      q: [0n, 65535n],
      i: [-2147483648n, 2147483647n],
      u: [0n, 4294967295n],
      x: [-(2n ** 63n), 2n ** 63n - 1n],
      t: [0n, 2n ** 64n - 1n],
    };
    const range = ranges[type];
    if (range === undefined) throw new Error(`unsupported type ${type}`);
    let n: bigint;
    try {
      n = raw.startsWith('-') ? -BigInt(raw.slice(1)) : BigInt(raw.replace(/^\+/, ''));
    } catch {
      throw new Error(`${raw} is not an integer`);
    }
    if (n < range[0] || n > range[1]) throw new Error(`${raw} is out of range for ${type}`);
    const value: DbusValue = type === 'x' || type === 't' ? n : Number(n);
    return new Variant(type, value);
  }

  private string(): string {
    const quote = this.s[this.i++];
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) throw new Error('unterminated string');
      if (c === quote) return out;
      if (c === '\\') {
        const e = this.s[this.i++];
        const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
        if (e === undefined || escapes[e] === undefined) throw new Error(`bad escape \\${e ?? ''}`);
        out += escapes[e];
      } else {
        out += c;
      }
    }
  }

  private space(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }
}
