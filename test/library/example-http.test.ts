import test from 'ava';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { list } from 'orch';
import { serve } from '../../examples/http-run/server.js';
import { makeBundle } from '../support/bundle.js';
import { makeRoot } from '../support/orch-cli.js';
import { canRunContainers } from '../cgroups/container-support.js';

// examples/http-run, as the README shows it: a service streaming a container's output per request.
const maybe = canRunContainers ? test.serial : test.serial.skip;

maybe('the HTTP example streams a command run in a container, and a client that leaves stops it', async (t) => {
  const root = makeRoot();
  const server = serve(makeBundle(['true']).rootfs, root).listen(0);
  t.teardown(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const query = new URLSearchParams([['cmd', 'sh'], ['arg', '-c'], ['arg', 'echo hello from $(hostname); exit 3']]);
  const body = await new Promise<string>((resolve, reject) => {
    get(`http://127.0.0.1:${port}/run?${query}`, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve(text));
    }).on('error', reject);
  });
  t.regex(body, /^hello from \S+\n\[exit 3\]\n$/);

  const request = get(`http://127.0.0.1:${port}/run?cmd=sleep&arg=60`);
  request.on('error', () => undefined);
  for (let i = 0; i < 100 && list({ root }).length === 0; i++) await sleep(20);
  t.is(list({ root }).length, 1, 'the container runs while the client waits');
  request.destroy();
  for (let i = 0; i < 100 && list({ root }).length > 0; i++) await sleep(20);
  t.deepEqual(list({ root }), [], 'gone once the client left');
});
