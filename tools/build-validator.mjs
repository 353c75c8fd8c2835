#!/usr/bin/env node
// Compiles orchestrator/src/config/schema.ts into a standalone ajv validator at build time, so that
// `orch` never compiles a schema when it starts. Writes
//   orchestrator/src/config/validate-config.generated.js        (bundled into dist/ by esbuild)
//   build/orchestrator/src/config/validate-config.generated.js  (tsc does not copy .js; tests run from build/)
// Its types live in the committed validate-config.generated.d.ts beside it.
// Usage (from any directory): node tools/build-validator.mjs
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaSource = 'orchestrator/src/config/schema.ts';
const outputs = [
  'orchestrator/src/config/validate-config.generated.js',
  'build/orchestrator/src/config/validate-config.generated.js',
];

async function loadSchema() {
  // Node 20 cannot import .ts: bundle the schema module (it has no imports) into a temp .mjs.
  const dir = mkdtempSync(join(tmpdir(), 'orch-schema-'));
  try {
    const file = join(dir, 'schema.mjs');
    await build({
      absWorkingDir: root,
      entryPoints: [schemaSource],
      outfile: file,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
    });
    const module = await import(pathToFileURL(file).href);
    const exportNames = new Map(Object.entries(module).map(([name, value]) => [value, name.replace(/Schema$/, '')]));
    return { schema: module.configSchema, exportNames };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Gives every object schema its own compiled function: ajv then emits the code of a sub-schema
 * that schema.ts reuses by reference (idMapping, the hook list, the integer ranges …) once instead
 * of once per use, and V8 compiles only the functions a config reaches (most configs have no
 * seccomp, blockIO …): ~3 ms instead of ~8 ms for the first call. Error instancePaths do not change.
 * Definitions take the schema's export name where it has one, else the key of their first use.
 */
function hoistDefinitions(schema, exportNames) {
  const uses = new Map();
  const firstKey = new Map();
  // [label, child]: a property's name, or the parent's label + Item / Value
  const children = (node, label) => [
    ...Object.entries(node.properties ?? {}),
    ...Object.entries(node.patternProperties ?? {}).map(([, child]) => [`${label}Value`, child]),
    ...(typeof node.additionalProperties === 'object' ? [[`${label}Value`, node.additionalProperties]] : []),
    ...(typeof node.items === 'object' ? [[`${label}Item`, node.items]] : []),
  ];
  const count = (node, label) => {
    uses.set(node, (uses.get(node) ?? 0) + 1);
    if (uses.get(node) > 1) return; // its children were counted on the first visit
    firstKey.set(node, label);
    for (const [childLabel, child] of children(node, label)) count(child, childLabel);
  };
  count(schema, 'config');

  const names = new Map();
  const taken = new Set();
  for (const [node, n] of uses) {
    if (node === schema || (n < 2 && node.type !== 'object')) continue;
    const base = exportNames.get(node) ?? firstKey.get(node);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
    taken.add(name);
    names.set(node, name);
  }

  const definitions = {};
  const rewrite = (node, asDefinition = false) => {
    const name = names.get(node);
    if (name !== undefined && !asDefinition) {
      if (!(name in definitions)) definitions[name] = rewrite(node, true);
      return { $ref: `#/definitions/${name}` };
    }
    const out = { ...node };
    const mapValues = (object) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, rewrite(v)]));
    if (node.properties) out.properties = mapValues(node.properties);
    if (node.patternProperties) out.patternProperties = mapValues(node.patternProperties);
    if (typeof node.additionalProperties === 'object') out.additionalProperties = rewrite(node.additionalProperties);
    if (typeof node.items === 'object') out.items = rewrite(node.items);
    return out;
  };
  const hoisted = rewrite(schema);
  return { ...hoisted, definitions };
}

function compile(schema) {
  const ajv = new Ajv({
    code: { source: true, esm: true },
    inlineRefs: false, // keep the hoisted definitions as functions
    messages: false, // load-config.ts words the errors itself
    allErrors: false, // the first error is all loadConfig reports
    strict: true, // the schema must be clean: unknown keywords or type gaps are mistakes here
  });
  const validate = ajv.compile(schema);
  const code = standaloneCode(ajv, validate);
  // Keywords such as minLength, uniqueItems or format make ajv emit `require("ajv/dist/runtime/…")`,
  // which an ESM file under build/ cannot run and which would make ajv a run-time dependency.
  const helpers = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  if (helpers.length > 0) {
    throw new Error(
      `${schemaSource}: the compiled validator needs ajv run-time helpers (${[...new Set(helpers)].join(', ')}); ` +
        'use keywords that compile to plain code (pattern instead of minLength/maxLength, no uniqueItems/format)',
    );
  }
  return code;
}

const { schema, exportNames } = await loadSchema();
const banner = `// Generated from ${schemaSource} ($id ${schema.$id}) by tools/build-validator.mjs with ajv. Do not edit.\n`;
const code = `${banner}${compile(hoistDefinitions(schema, exportNames))}\n`;

for (const output of outputs) {
  const file = join(root, output);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, code);
}
console.log(`build-validator: wrote ${outputs.join(' and ')} (${code.length} bytes)`);
