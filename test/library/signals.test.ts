import test from 'ava';
import { run } from 'orch';
import { makeBundle } from '../support/bundle.js';
import { makeRoot } from '../support/orch-cli.js';
import { canRunContainers } from '../cgroups/container-support.js';

// A Node service embeds the library: a foreground container must not take over the service's
// signals. The CLI forwards its own (as runc); the library installs no process-wide handler.
const maybe = canRunContainers ? test.serial : test.serial.skip;

maybe("a foreground run through the library leaves the service's SIGTERM to the service", async (t) => {
  const root = makeRoot();
  const bundle = makeBundle(['sleep', '1']);
  let serviceSaw = 0;
  const own = (): void => {
    serviceSaw++;
  };
  process.on('SIGTERM', own);
  t.teardown(() => process.off('SIGTERM', own));
  const listeners = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'].map((s) => process.listenerCount(s));
  const c = await run({ root, id: `libsig-${process.pid}`, bundle: bundle.dir, stdio: 'ignore' });
  const during = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'].map((s) => process.listenerCount(s));
  process.kill(process.pid, 'SIGTERM');
  t.deepEqual(await c.wait(), { code: 0, signal: null }, 'the container was not sent the service its SIGTERM');
  await c.delete();
  t.is(serviceSaw, 1, "the service's own handler ran");
  t.deepEqual(during, listeners, 'no handler was added while the container ran');
});
