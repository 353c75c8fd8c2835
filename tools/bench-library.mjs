#!/usr/bin/env node
// Containers through the library, warm (one Node process): /bin/true run, waited for and deleted,
// sequentially and 10 at a time. Prints {"seqMs": ms per container, "par10Ms": ms per container}.
// Usage: node tools/bench-library.mjs BUNDLE ROOT [RUNS]   (tools/bench.sh runs it beside runc and crun)
import { run } from '../dist/api.mjs';

const [bundle, root, runsText = '30'] = process.argv.slice(2);
const runs = Number(runsText);
let next = 0;
const one = async () => {
  const c = await run({ id: `lib-${process.pid}-${next++}`, bundle, root, stdio: 'ignore' });
  await c.wait();
  await c.delete();
};
for (let i = 0; i < 10; i++) await one(); // caches, lazy modules, JIT
let started = performance.now();
for (let i = 0; i < runs; i++) await one();
const seqMs = (performance.now() - started) / runs;
const batches = Math.max(1, Math.round(runs / 10));
started = performance.now();
for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: 10 }, one));
const par10Ms = (performance.now() - started) / (batches * 10);
console.log(JSON.stringify({ seqMs, par10Ms }));
