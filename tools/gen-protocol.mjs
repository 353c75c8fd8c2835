#!/usr/bin/env node
// Generates the C header and the TS module from shared/protocol.json, so both sides of the
// orchestrator <-> init-helper protocol come from one file. `--check` fails when they are stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = 'shared/protocol.json';
const protocol = JSON.parse(readFileSync(join(root, source), 'utf8'));
const banner = `Generated from ${source} by tools/gen-protocol.mjs. Do not edit.`;

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const entries = (object) => Object.entries(object).filter(([key]) => !key.startsWith('$'));

/** "A-Z0-9_" -> every character the class names, for strspn() in C. */
function expandClass(spec) {
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let c = spec.charCodeAt(i); c <= spec.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += spec[i];
  }
  return out;
}

function header() {
  const lines = [`/* ${banner} */`, '#ifndef ORCH_PROTOCOL_H', '#define ORCH_PROTOCOL_H', ''];
  lines.push(`#define ORCH_PROTOCOL_VERSION ${protocol.version}`, '');
  for (const [name, value] of entries(protocol.env)) lines.push(`#define ORCH_ENV_${snake(name)} "${value}"`);
  lines.push('', `#define ORCH_INIT_MSG ${protocol.bootstrap.initMsg}`);
  for (const [name, attr] of entries(protocol.bootstrap.attributes)) {
    lines.push(`/* ${attr.type}: ${attr.doc} */`, `#define ORCH_ATTR_${snake(name)} ${attr.id}`);
  }
  lines.push('', 'struct orch_namespace_kind { const char *type; const char *proc; int flag; };');
  lines.push('/* OCI type, /proc/PID/ns name and clone flag, in join order (user first). */');
  lines.push('static const struct orch_namespace_kind orch_namespace_kinds[] = {');
  for (const [type, ns] of entries(protocol.namespaces)) lines.push(`\t{ "${type}", "${ns.proc}", ${ns.flag} },`);
  lines.push('};', `#define ORCH_NAMESPACE_KINDS ${entries(protocol.namespaces).length}`, '');
  lines.push('/* Canonical sysctl keys: what a component may hold, and the namespaced keys (protocol.json). */');
  lines.push(`#define ORCH_SYSCTL_NAME_CHARS "${expandClass(protocol.sysctl.nameChars)}"`);
  lines.push('struct orch_sysctl_rule { const char *path; int prefix; const char *ns; };');
  lines.push('static const struct orch_sysctl_rule orch_sysctl_rules[] = {');
  for (const rule of protocol.sysctl.namespaced) lines.push(`\t{ "${rule.key ?? rule.prefix}", ${rule.prefix ? 1 : 0}, "${rule.namespace}" },`);
  lines.push('};', `#define ORCH_SYSCTL_RULES ${protocol.sysctl.namespaced.length}`, '');
  for (const [name, type] of entries(protocol.sync.types)) {
    lines.push(`/* from ${type.from}: ${type.doc} */`, `#define ORCH_SYNC_${snake(name)} "${name}"`);
  }
  lines.push('');
  for (const type of protocol.initTypes) lines.push(`#define ORCH_INIT_TYPE_${snake(type)} "${type}"`);
  lines.push('', '/* The init config: every field, its JSON type ("string", "boolean", "integer", "object"), whether required. */');
  lines.push('struct orch_init_config_field { const char *key; const char *type; int required; };');
  lines.push('static const struct orch_init_config_field orch_init_config_fields[] = {');
  for (const [key, field] of entries(protocol.initConfig.fields)) lines.push(`\t{ "${key}", "${field.type}", ${field.required ? 1 : 0} },`);
  lines.push('};', `#define ORCH_INIT_CONFIG_FIELDS ${entries(protocol.initConfig.fields).length}`);
  lines.push('', '#endif', '');
  return lines.join('\n');
}

const TS_TYPES = { string: 'string', boolean: 'boolean', integer: 'number', object: 'Record<string, unknown>' };

/** { name: { type, required } } -> "{ name: T; other?: U }" */
function tsFields(fields, indent = '') {
  return entries(fields).map(([key, f]) => `${indent}${f.doc ? `/** ${f.doc} */\n${indent}` : ''}${key}${f.required ? '' : '?'}: ${TS_TYPES[f.type]};`);
}

/** The init config's fields, as a table for shared/init-config.md. */
function markdownFields() {
  const rows = entries(protocol.initConfig.fields).map(([key, f]) => `| \`${key}\` | ${f.type} | ${f.required ? 'yes' : ''} | ${f.doc.replace(/\|/g, '\\|')} |`);
  return ['| field | type | required | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

const MD_BEGIN = '<!-- init config fields: generated from shared/protocol.json by tools/gen-protocol.mjs -->';
const MD_END = '<!-- end of generated fields -->';

function initConfigDoc() {
  const text = readFileSync(join(root, 'shared/init-config.md'), 'utf8');
  const begin = text.indexOf(MD_BEGIN);
  const end = text.indexOf(MD_END);
  if (begin < 0 || end < begin) throw new Error(`shared/init-config.md: the markers ${MD_BEGIN} … ${MD_END} are missing`);
  return `${text.slice(0, begin + MD_BEGIN.length)}\n${markdownFields()}\n${text.slice(end)}`;
}

function tsModule() {
  const lines = [`// ${banner}`, '', `export const PROTOCOL_VERSION = ${protocol.version};`, ''];
  lines.push('export const ENV = {');
  for (const [name, value] of entries(protocol.env)) lines.push(`  ${name}: '${value}',`);
  lines.push('} as const;', '', `export const INIT_MSG = ${protocol.bootstrap.initMsg};`, '');
  lines.push('export const ATTR = {');
  for (const [name, attr] of entries(protocol.bootstrap.attributes)) {
    lines.push(`  /** ${attr.type}: ${attr.doc} */`, `  ${name}: ${attr.id},`);
  }
  lines.push('} as const;', '');
  lines.push('/** OCI namespace type -> clone flag and /proc/PID/ns entry, in join order (user first). */');
  lines.push('export const NAMESPACES = {');
  for (const [type, ns] of entries(protocol.namespaces)) lines.push(`  ${type}: { flag: 0x${ns.flag.toString(16)}, proc: '${ns.proc}' },`);
  lines.push('} as const;', 'export type NamespaceType = keyof typeof NAMESPACES;', '');
  lines.push('/** Canonical sysctl keys: a component is non-empty, not . or .., and matches this. */');
  lines.push(`export const SYSCTL_COMPONENT = /^[${protocol.sysctl.nameChars}]+$/;`);
  lines.push('/** The sysctls a container may set (path under /proc/sys, or a prefix of paths) and the namespace each needs. */');
  lines.push('export const SYSCTL_RULES: ReadonlyArray<{ path: string; prefix: boolean; namespace: NamespaceType }> = [');
  for (const rule of protocol.sysctl.namespaced) lines.push(`  { path: '${rule.key ?? rule.prefix}', prefix: ${Boolean(rule.prefix)}, namespace: '${rule.namespace}' },`);
  lines.push('];', '');
  lines.push('export const SYNC = {');
  for (const [name, type] of entries(protocol.sync.types)) lines.push(`  /** from ${type.from}: ${type.doc} */`, `  ${name}: '${name}',`);
  lines.push('} as const;', 'export type SyncType = (typeof SYNC)[keyof typeof SYNC];', '');
  lines.push('/** What each sync message carries beside its type. */');
  lines.push('export interface SyncPayloads {');
  for (const [name, type] of entries(protocol.sync.types)) {
    lines.push(type.payload ? `  ${name}: {\n${tsFields(type.payload, '    ').join('\n')}\n  };` : `  ${name}: Record<never, never>;`);
  }
  lines.push('}', '');
  lines.push('/** The payload fields each message must have, and their JSON types, for checking what arrives. */');
  lines.push('export const SYNC_PAYLOADS: Readonly<Record<SyncType, ReadonlyArray<{ key: string; type: string; required: boolean }>>> = {');
  for (const [name, type] of entries(protocol.sync.types)) {
    const fields = entries(type.payload ?? {}).map(([key, f]) => `{ key: '${key}', type: '${f.type}', required: ${f.required} }`);
    lines.push(`  ${name}: [${fields.join(', ')}],`);
  }
  lines.push('};', '');
  lines.push(`export const INIT_TYPES = [${protocol.initTypes.map((t) => `'${t}'`).join(', ')}] as const;`);
  lines.push('export type InitType = (typeof INIT_TYPES)[number];', '');
  lines.push('/** The init config as it goes on the wire (bootstrap/init-config.ts narrows type and spec). */');
  lines.push(`export interface InitConfigFields {\n${tsFields(protocol.initConfig.fields, '  ').join('\n')}\n}`, '');
  return lines.join('\n');
}

const outputs = [
  ['init-helper/include/orch/protocol.h', header()],
  ['orchestrator/src/protocol/protocol.ts', tsModule()],
  ['shared/init-config.md', initConfigDoc()],
];

const check = process.argv.includes('--check');
let stale = 0;
for (const [path, text] of outputs) {
  const full = join(root, path);
  let current = null;
  try { current = readFileSync(full, 'utf8'); } catch { /* missing counts as stale */ }
  if (current === text) continue;
  if (check) { console.error(`${path} is stale: run npm run gen`); stale++; continue; }
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  console.log(`wrote ${path}`);
}
process.exit(stale ? 1 : 0);
