#!/usr/bin/env node
// The whole build, ahead of time, so that `orch` compiles nothing when it runs:
// protocol freshness, the precompiled config validator, type-checked TS (tests included),
// the bundled CLI/library entries, and the C init helper.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // "ts" or "native" builds one half
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const step = (name, fn) => {
  const started = performance.now();
  fn();
  console.log(`build: ${name} (${Math.round(performance.now() - started)} ms)`);
};

if (only !== 'native') {
  step('protocol is fresh', () => run(process.execPath, ['tools/gen-protocol.mjs', '--check']));
  step('config validator', () => run(process.execPath, ['tools/build-validator.mjs']));
  const esbuild = await import('esbuild');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const started = performance.now();
  const define = { ORCH_COMMIT: JSON.stringify(gitCommit()) };
  // The library entry, for `import 'orch'`: ESM, as the package is.
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { api: 'orchestrator/src/api/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['node-pty'],
    // CommonJS dependencies (debug, ajv's runtime) call require(); ESM output needs a real one.
    banner: { js: "import { createRequire as __orchCreateRequire } from 'node:module'; const require = __orchCreateRequire(import.meta.url);" },
    define,
    logLevel: 'warning',
  });
  // The `orch` executable: CommonJS, for start-up time (see tools/bundle-cli.mjs).
  await bundleCli(esbuild, root, define);
  console.log(`build: esbuild bundle (${Math.round(performance.now() - started)} ms)`);
  // the library's types, for `import … from 'orch'` in TypeScript
  step('declarations', () => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.types.json']));
  // after the declarations: tests import the package by its name ('orch'), as a service would
  step('typescript', () => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']));
}

if (only !== 'ts') {
  step('init helper', () => {
    run('cmake', ['-S', '.', '-B', 'build/native', '-DCMAKE_BUILD_TYPE=Release', '-Wno-dev']);
    run('cmake', ['--build', 'build/native', '-j2']);
  });
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
