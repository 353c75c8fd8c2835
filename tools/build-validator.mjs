#!/usr/bin/env node
// Compiles orchestrator/src/config/schema.ts into a standalone ajv validator at build time, so that
// `orch` never compiles a schema when it starts. Writes
//   orchestrator/src/config/validate-config.generated.js        (bundled into dist/ by esbuild)
//   build/orchestrator/src/config/validate-config.generated.js  (tsc does not copy .js; tests run from build/)
// Its types live in the committed validate-config.generated.d.ts beside it.
// Usage (from anywhere): node tools/build-validator.mjs [--check]   --check: fail if the src copy is stale.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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
    return module.configSchema;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * schema.ts reuses sub-schema objects by reference (idMapping, the hook list, …), which keeps it and
 * its FromSchema types free of $ref. Inlined, ajv would emit their code once per use: hoist every
 * object/array schema used more than once into `definitions` and point the uses at it, so each is
 * compiled once (with inlineRefs off). Error instancePaths do not change.
 */
function hoistShared(schema) {
  const uses = new Map();
  const firstKey = new Map();
  const children = (node) => [
    ...Object.entries(node.properties ?? {}),
    ...Object.entries(node.patternProperties ?? {}),
    ...(typeof node.additionalProperties === 'object' ? [['additionalProperties', node.additionalProperties]] : []),
    ...(typeof node.items === 'object' ? [['items', node.items]] : []),
  ];
  const count = (node, key) => {
    uses.set(node, (uses.get(node) ?? 0) + 1);
    if (uses.get(node) > 1) return; // its children were counted on the first visit
    firstKey.set(node, key);
    for (const [childKey, child] of children(node)) count(child, childKey);
  };
  count(schema, 'root');

  const names = new Map();
  const taken = new Set();
  for (const [node, n] of uses) {
    if (n < 2 || node === schema) continue;
    let name = firstKey.get(node) === 'items' ? 'item' : firstKey.get(node);
    for (let i = 2; taken.has(name); i++) name = `${firstKey.get(node)}${i}`;
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
    inlineRefs: false, // compile each hoisted definition once and call it
    messages: false,
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

const schema = await loadSchema();
const banner = `// Generated from ${schemaSource} ($id ${schema.$id}) by tools/build-validator.mjs with ajv. Do not edit.\n`;
const code = `${banner}${compile(hoistShared(schema))}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(join(root, outputs[0]), 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== code) {
    console.error(`${outputs[0]} is stale: run node tools/build-validator.mjs`);
    process.exit(1);
  }
} else {
  for (const output of outputs) {
    const file = join(root, output);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, code);
  }
  console.log(`build-validator: wrote ${outputs.map((o) => relative(root, join(root, o))).join(' and ')} (${code.length} bytes)`);
}
