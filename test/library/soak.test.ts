import test from 'ava';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { run, defaultSpec } from 'orch';
import { makeBundle } from '../support/bundle.js';
import { makeRoot } from '../support/orch-cli.js';
import { canRunContainers } from '../cgroups/container-support.js';

// A service that runs container after container must not grow: listeners, fds and heap stay where
// they were after warming up (caches, lazy modules, JIT), within noise.
const maybe = canRunContainers ? test.serial : test.serial.skip;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function sample(): { fds: number; listeners: number; heapMiB: number } {
  gc();
  gc();
  const listeners = process.eventNames().reduce((n, name) => n + process.listenerCount(name), 0);
  return { fds: readdirSync('/proc/self/fd').length, listeners, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
}

maybe('200 sequential containers through the library: no growth in listeners, fds or heap', async (t) => {
  const root = makeRoot();
  const rootfs = makeBundle(['true']).rootfs;
  const spec = defaultSpec();
  spec.process = { ...spec.process!, args: ['true'], terminal: false };
  const one = async (i: number): Promise<void> => {
    const c = await run({ id: `soak-${process.pid}-${i}`, spec, rootfs, root, stdio: 'ignore' });
    await c.wait();
    await c.delete();
  };
  for (let i = 0; i < 20; i++) await one(i);
  const before = sample();
  const started = Date.now();
  for (let i = 20; i < 220; i++) await one(i);
  const each = (Date.now() - started) / 200;
  const after = sample();
  t.log(`200 containers, ${each.toFixed(1)} ms each; before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  t.is(after.fds, before.fds, 'fds');
  t.is(after.listeners, before.listeners, 'listeners');
  t.true(after.heapMiB - before.heapMiB < 4, `heap grew ${(after.heapMiB - before.heapMiB).toFixed(1)} MiB`);
});
