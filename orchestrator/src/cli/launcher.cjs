'use strict';
// The `orch` executable, copied by tools/bundle-cli.mjs to dist/orch.cjs (with a shebang): it
// loads the CommonJS CLI bundle in dist/cli/ through V8 code caches that the build made, so a
// call hardly compiles anything (Node 20 has no compile cache of its own; the config validator
// alone costs ~6 ms to compile). A cache that is missing, stale or refused by this V8 (another
// Node version, other V8 flags) is ignored, and that file is compiled from source as usual.
//
// Plain JavaScript, not TypeScript: it runs as is, and the build uses its scriptFor() to make the
// caches, so that they are made from exactly the code that is later compiled with them.
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/** A cache file: u32le length of the source, the source itself, then V8's code cache for it. */
const CACHE_SUFFIX = '.cache';
const ENTRY = join(__dirname, 'cli', 'main.cjs');

/** Compiles one CLI file as Node compiles a CommonJS module: a function of the usual five. */
function scriptFor(file, source, cachedData) {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
}

/**
 * V8 checks a cache's version and flags but, of the source, only its length, so the cache holds
 * the source it was made from and is used only for that very text.
 */
function cacheFor(source, cache) {
  if (cache === undefined || cache.length < 4) return undefined;
  const length = cache.readUInt32LE(0);
  if (length !== source.length || !cache.subarray(4, 4 + length).equals(source)) return undefined;
  return cache.subarray(4 + length);
}

/** Loads a CLI file and, through its relative require()s, the files it needs; each once. */
const loaded = new Map();
function load(file) {
  const known = loaded.get(file);
  if (known !== undefined) return known.exports;
  const module = { exports: {} };
  loaded.set(file, module);
  const source = readFileSync(file);
  let cache;
  try {
    cache = readFileSync(file + CACHE_SUFFIX);
  } catch {
    // no cache (not built, or removed): compile from source
  }
  const fn = scriptFor(file, source.toString(), cacheFor(source, cache)).runInThisContext();
  const dir = dirname(file);
  const requireHere = (id) => (id.startsWith('./') || id.startsWith('../') ? load(join(dir, id)) : require(id));
  fn.call(module.exports, module.exports, requireHere, module, file, dir);
  return module.exports;
}

if (require.main === module) load(ENTRY);

module.exports = { scriptFor, CACHE_SUFFIX };
