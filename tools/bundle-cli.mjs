// Bundles the `orch` CLI as CommonJS with V8 code caches: dist/cli/main.cjs plus one file per
// lazily loaded piece in dist/cli/, each with a .cache beside it, and the executable
// dist/orch.cjs (orchestrator/src/cli/launcher.cjs), which loads them. Engines run orch 3-4
// times per container, so its start-up is on every container's path:
// - CommonJS starts faster than ESM: a .mjs entry brings up Node's ESM loader (~8 ms more than
//   require), and every chunk then goes through its async resolve/load pipeline.
// - esbuild splits code only for ESM output, so this takes two steps: an ESM build with code
//   splitting (one chunk per command, loaded by command-table.ts's import(), and shared chunks),
//   then each output file turned into CommonJS on its own, import() included, which becomes
//   require() so the ESM loader never starts.
// - The code caches hold every function already compiled, so a call compiles nothing (create
//   compiled ~15 ms of JavaScript before, the config validator most of it).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// orch makes no TLS connections: dropping NODE_EXTRA_CA_CERTS saves the ~50 ms Node spends loading them.
const SHEBANG = '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node\n';
const IMPORT_META_URL = '__orchImportMetaUrl';
const LAUNCHER = 'orchestrator/src/cli/launcher.cjs';

/** Builds dist/orch.cjs and dist/cli/; `define` is esbuild's, for the compile-time constants. */
export async function bundleCli(esbuild, root, define) {
  const esm = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { 'cli/main': 'orchestrator/src/cli/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    chunkNames: 'cli/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define,
    write: false,
    logLevel: 'warning',
  });
  for (const file of esm.outputFiles) {
    // import.meta.url (helper-path.ts finds the init helper from it) has no CommonJS form:
    // rebuild it from __filename in the files that use it.
    const usesUrl = file.text.includes('import.meta.url');
    const cjs = await esbuild.transform(file.text, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // a chunk's import() becomes Promise.resolve().then(() => require(...))
      supported: { 'dynamic-import': false },
      define: { 'import.meta.url': IMPORT_META_URL },
      banner: usesUrl ? `const ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;` : '',
      logLevel: 'warning',
    });
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, cjs.code.replace(/^#!.*\n/, ''));
  }
  const entry = join(root, 'dist/orch.cjs');
  writeFileSync(entry, SHEBANG + readFileSync(join(root, LAUNCHER), 'utf8'));
  chmodSync(entry, 0o755);
  // In children: the V8 flags that writing sets would otherwise stay set in this process, and a
  // check needs a fresh V8 (one that compiled these files already answers from memory). Without
  // NODE_OPTIONS, as orch runs: V8 refuses a cache made or used under other flags.
  for (const mode of ['code-cache', 'check-code-cache']) {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, join(root, 'dist/cli')], {
      stdio: 'inherit',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
  }
}

function launcher() {
  return createRequire(import.meta.url)(join(dirname(fileURLToPath(import.meta.url)), '..', LAUNCHER));
}

function cliFiles(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cjs'))
    .map((name) => join(dir, name));
}

/** Writes <file>.cache for each CLI file, in the launcher's format, from the launcher's own compile. */
function writeCodeCaches(dir) {
  const { scriptFor, CACHE_SUFFIX } = launcher();
  for (const file of cliFiles(dir)) {
    const source = readFileSync(file);
    // every function compiled now rather than on its first call, so the cache holds them all
    setFlagsFromString('--no-lazy');
    const script = scriptFor(file, source.toString());
    // and back: the cache records the flags it was made under, and orch runs with the defaults
    setFlagsFromString('--lazy');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(source.length);
    writeFileSync(file + CACHE_SUFFIX, Buffer.concat([length, source, script.createCachedData()]));
  }
}

/** A cache V8 refuses costs nothing but time, so say so here, where it would otherwise go unseen. */
function checkCodeCaches(dir) {
  const { scriptFor, CACHE_SUFFIX } = launcher();
  const refused = cliFiles(dir).filter((file) => {
    const source = readFileSync(file);
    const cache = readFileSync(file + CACHE_SUFFIX);
    return scriptFor(file, source.toString(), cache.subarray(4 + source.length)).cachedDataRejected;
  });
  if (refused.length > 0) console.warn(`build: warning: V8 refuses the code caches of ${refused.length} CLI files; orch will start slower`);
}

const modes = { 'code-cache': writeCodeCaches, 'check-code-cache': checkCodeCaches };
if (process.argv[1] === fileURLToPath(import.meta.url)) modes[process.argv[2]]?.(process.argv[3]);
