/**
 * Reads and checks <bundle>/config.json: JSON syntax, then the schema (precompiled by
 * tools/build-validator.mjs, so nothing is compiled at run time), then runc's semantic rules.
 * Every failure is one OrchError('invalid-config') line naming the field: `config.json: <path>: <reason>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../errors/orch-error.js';
import { CONFIG_FILE, configMessage, formatPath, shown, type PathSegment } from './config-error.js';
import { refuseNul } from './no-nul.js';
import type { Spec } from './spec-types.js';
import validate, { type ConfigSchemaError } from './validate-config.generated.js';
import { validateSemantics, type SemanticOptions } from './validate-semantics.js';

export type LoadConfigOptions = SemanticOptions;

/** Reads BUNDLE/config.json and checks it as `create` does (schema, then semantics); returns the typed spec. */
export function loadConfig(bundleDir: string, options: LoadConfigOptions = {}): Spec {
  const path = join(bundleDir, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OrchError('invalid-config', `open ${path}: ${errnoText(error)}`, { cause: error });
  }
  return parseConfig(text, options);
}

/** The same checks on config text already read. */
export function parseConfig(text: string, options: LoadConfigOptions = {}): Spec {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new OrchError('invalid-config', `${CONFIG_FILE}: invalid JSON: ${jsonErrorText(error, text)}`, { cause: error });
  }
  return validateConfig(data, options);
}

/** Schema then semantic checks on a parsed config; returns it typed (relative mount destinations made absolute). */
export function validateConfig(data: unknown, options: LoadConfigOptions = {}): Spec {
  refuseNul(data);
  defaultUser(data);
  if (!validate(data)) {
    const error = validate.errors?.[0];
    if (!error) throw new OrchError('invalid-config', `${CONFIG_FILE}: does not match the schema`);
    const { field, message } = describeSchemaError(error, data);
    throw new OrchError('invalid-config', message, field ? { field } : undefined);
  }
  validateSemantics(data, options);
  return data;
}

/**
 * runtime-spec's schema (not its prose) lets process.user out, and runc runs such a process as
 * uid 0, gid 0 (Go's zero value): the same default here, so that the typed spec always has one.
 */
function defaultUser(data: unknown): void {
  if (data === null || typeof data !== 'object') return;
  const process = (data as Record<string, unknown>)['process'];
  if (process === null || typeof process !== 'object' || Array.isArray(process)) return;
  const fields = process as Record<string, unknown>;
  if (fields['user'] === undefined) fields['user'] = { uid: 0, gid: 0 };
}

/** "ENOENT: no such file or directory, open '/b/config.json'" -> "no such file or directory", as Go prints it. */
function errnoText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^E[A-Z]+: ([^,]+),/.exec(message)?.[1] ?? message;
}

/** V8's message plus the line and column, which "at position 1234" does not give. */
function jsonErrorText(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line} column ${column})`;
}

/** "/linux/namespaces/2/type" -> ['linux', 'namespaces', 2, 'type'], numbers only where the data has an array. */
function pointerToPath(pointer: string, data: unknown): { path: PathSegment[]; value: unknown } {
  const path: PathSegment[] = [];
  let value = data;
  if (pointer === '') return { path, value };
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path.push(Number(key));
      value = value[Number(key)];
    } else {
      path.push(key);
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return { path, value };
}

/** Largest bounds in the schema are 2^63 / 2^64 as doubles: print the Go limits they stand for. */
function limitText(limit: unknown): string {
  if (limit === 2 ** 64) return '18446744073709551615';
  if (limit === 2 ** 63) return '9223372036854775807';
  if (limit === -(2 ** 63)) return '-9223372036854775808';
  return String(limit);
}

function describeSchemaError(error: ConfigSchemaError, data: unknown): { field: string; message: string } {
  const { path, value } = pointerToPath(error.instancePath, data);
  const at = error.keyword === 'required' ? [...path, String(error.params['missingProperty'])] : path;
  return { field: formatPath(at), message: schemaMessage(error, path, value) };
}

function schemaMessage(error: ConfigSchemaError, path: PathSegment[], value: unknown): string {
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return configMessage([...path, String(params['missingProperty'])], 'is required');
    case 'type':
      return configMessage(path, `must be ${String(params['type'])}`);
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'].map(String).join(', ') : '';
      return configMessage(path, `must be one of ${allowed} (got ${shown(value)})`);
    }
    case 'pattern':
      return configMessage(path, `must match ${String(params['pattern'])} (got ${shown(value)})`);
    case 'minimum':
    case 'maximum':
      return configMessage(path, `must be ${String(params['comparison'])} ${limitText(params['limit'])} (got ${shown(value)})`);
    case 'minItems':
      return configMessage(path, params['limit'] === 1 ? 'must not be empty' : `must have at least ${String(params['limit'])} items`);
    default:
      return configMessage(path, `fails the schema's ${error.keyword} rule (${shown(params)})`);
  }
}
