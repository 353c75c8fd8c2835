import { OrchError } from '../errors/orch-error.js';

/**
 * Flags as runc (urfave/cli over Go's flag package) takes them, so clients' command lines mean
 * the same here: -name and --name alike; "-name value" or "-name=value"; a bool flag takes no
 * separate value ("-d=false" only); "--" ends the flags; a lone "-" is an argument. Error messages
 * are Go's, naming the flag.
 */
export type FlagKind = 'bool' | 'string' | 'int' | 'strings' | 'ints' | 'duration';

export interface FlagDef {
  readonly kind: FlagKind;
  /** short name, e.g. "b" for --bundle */
  readonly alias?: string;
  readonly usage: string;
  /** shown in help only */
  readonly defaultText?: string;
}

export type FlagTable = Readonly<Record<string, FlagDef>>;

type ValueOf<K extends FlagKind> = K extends 'bool'
  ? boolean
  : K extends 'int'
    ? number | undefined
    : K extends 'strings'
      ? string[]
      : K extends 'ints'
        ? number[]
        : string | undefined;

export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T]: ValueOf<T[K]['kind']> };

/**
 * interspersed: flags may follow arguments (urfave/cli reorders a command's flags to the front);
 * leading: flags stop at the first argument (global flags before the command; exec's process args).
 */
export type ParseMode = 'interspersed' | 'leading';

export interface ParsedArgs<T extends FlagTable> {
  flags: FlagValues<T>;
  args: string[];
  /** -h/--help was given and the table does not define it */
  help: boolean;
}

export function parseArgs<T extends FlagTable>(argv: readonly string[], table: T, mode: ParseMode = 'interspersed'): ParsedArgs<T> {
  const byName = new Map<string, string>();
  const values: Record<string, boolean | string | number | string[] | number[] | undefined> = {};
  for (const [key, def] of Object.entries(table)) {
    byName.set(key, key);
    if (def.alias !== undefined) byName.set(def.alias, key);
    values[key] = def.kind === 'bool' ? false : def.kind === 'strings' || def.kind === 'ints' ? [] : undefined;
  }
  const args: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (mode === 'leading') {
        args.push(...argv.slice(i));
        break;
      }
      args.push(arg);
      continue;
    }
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw usageError(`bad flag syntax: ${arg}`);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);
    const key = byName.get(name);
    if (key === undefined) {
      if (name === 'h' || name === 'help') {
        help = true;
        continue;
      }
      throw usageError(`flag provided but not defined: -${name}`);
    }
    const def = table[key] as FlagDef;
    if (def.kind === 'bool') {
      values[key] = inline === undefined ? true : parseBool(inline, name);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      // as Go's flag package: the next word is the value whatever it looks like
      if (i + 1 >= argv.length) throw usageError(`flag needs an argument: -${name}`);
      raw = argv[++i] as string;
    }
    values[key] = parseValue(def.kind, raw, name, values[key]);
  }
  return { flags: values as FlagValues<T>, args, help };
}

/** Go's strconv.ParseBool. */
export function parseBool(text: string, name: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw usageError(`invalid boolean value ${JSON.stringify(text)} for -${name}: parse error`);
}

function parseValue(
  kind: Exclude<FlagKind, 'bool'>,
  raw: string,
  name: string,
  previous: boolean | string | number | string[] | number[] | undefined,
): string | number | string[] | number[] {
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
      return parseInteger(raw, name);
    case 'duration':
      // Go's time.ParseDuration: "0" or a sequence of decimal numbers with units
      if (raw !== '0' && !/^[+-]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/.test(raw)) throw invalidValue(raw, name);
      return raw;
    case 'strings':
      return [...((previous as string[] | undefined) ?? []), raw];
    case 'ints':
      // urfave's slice flags also take comma-separated lists
      return [...((previous as number[] | undefined) ?? []), ...raw.split(',').map((part) => parseInteger(part.trim(), name))];
  }
}

function parseInteger(raw: string, name: string): number {
  const m = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(raw);
  const n = m ? Number(m[1] === '-' ? -Number(m[2]) : Number(m[2])) : NaN;
  if (!Number.isSafeInteger(n)) throw invalidValue(raw, name);
  return n;
}

function invalidValue(raw: string, name: string): OrchError {
  return usageError(`invalid value ${JSON.stringify(raw)} for flag -${name}: parse error`);
}

function usageError(message: string): OrchError {
  return new OrchError('invalid-argument', message);
}
