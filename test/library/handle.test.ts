import test from 'ava';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, create, open, list, OrchError, defaultSpec, type Container } from 'orch';
import { makeBundle } from '../support/bundle.js';
import { makeRoot } from '../support/orch-cli.js';
import { canRunContainers } from '../cgroups/container-support.js';

// The library as a Node service uses it: through the package's own entry ('orch'), never deep imports.
const root = makeRoot();
const maybe = canRunContainers ? test : test.skip;
let next = 0;
const nextId = (): string => `lib-${process.pid}-${next++}`;

function readAll(stream: NodeJS.ReadableStream | null): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!stream) return reject(new Error('no stream'));
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

maybe('stdio pipes both ways: what goes into stdin comes back on stdout', async (t) => {
  const c = await run({ id: nextId(), bundle: makeBundle(['cat']).dir, root, stdio: 'pipe' });
  t.teardown(() => c.delete({ force: true }).catch(() => undefined));
  const out = readAll(c.stdout);
  c.stdin?.end('hello through the container\n');
  t.is(await out, 'hello through the container\n');
  t.deepEqual(await c.wait(), { code: 0, signal: null });
  t.is(c.state().status, 'stopped');
  await c.delete();
  t.throws(() => open({ id: c.id, root }), { instanceOf: OrchError, message: 'container does not exist' });
});

maybe('wait() tells an exit code from a signal', async (t) => {
  const exits = await run({ id: nextId(), bundle: makeBundle(['sh', '-c', 'echo to stderr >&2; exit 7']).dir, root, stdio: ['ignore', 'ignore', 'pipe'] });
  t.is(await readAll(exits.stderr), 'to stderr\n');
  t.deepEqual(await exits.wait(), { code: 7, signal: null });
  await exits.delete();

  // 130 by exit, then SIGINT... as child_process reports them: code 130, or signal SIGKILL
  const killed = await run({ id: nextId(), bundle: makeBundle(['sleep', '60']).dir, root, stdio: 'ignore' });
  t.is(killed.state().status, 'running');
  await killed.kill('SIGKILL');
  t.deepEqual(await killed.wait(), { code: null, signal: 'SIGKILL' });
  await killed.delete();
});

maybe('create then start, exec with its own env and stdio, and delete', async (t) => {
  const c = await create({ id: nextId(), bundle: makeBundle(['sleep', '60']).dir, root, stdio: 'ignore' });
  t.teardown(() => c.delete({ force: true }).catch(() => undefined));
  t.is(c.state().status, 'created');
  await c.start();
  t.is(c.state().status, 'running');
  const p = await c.exec({ args: ['sh', '-c', 'echo "$GREETING from $(cat /proc/self/cgroup | wc -l) cgroup lines"; exit 3'], env: ['GREETING=hello'], stdio: 'pipe' });
  const out = await readAll(p.stdout);
  t.regex(out, /^hello from \d+ cgroup lines\n$/);
  t.deepEqual(await p.wait(), { code: 3, signal: null });
  await t.throwsAsync(c.delete(), { instanceOf: OrchError, message: new RegExp(`cannot delete container ${c.id} that is not stopped: running`) });
  t.is((await t.throwsAsync(c.delete(), { instanceOf: OrchError }))?.code, 'bad-state');
  await c.delete({ force: true });
  t.deepEqual(await c.wait(), { code: null, signal: 'SIGKILL' });
  t.false(list({ root }).some((s) => s.id === c.id));
});

maybe('an AbortSignal kills the container and deletes it, leaving nothing', async (t) => {
  const controller = new AbortController();
  const id = nextId();
  const c = await run({ id, bundle: makeBundle(['sleep', '60']).dir, root, stdio: 'ignore', signal: controller.signal });
  const record = JSON.parse(readFileSync(`${root}/${id}/state.json`, 'utf8')) as { cgroup: { paths: Record<string, string> } };
  controller.abort();
  t.deepEqual(await c.wait(), { code: null, signal: 'SIGKILL' });
  for (let i = 0; i < 100 && existsSync(`${root}/${id}`); i++) await sleep(20);
  t.false(existsSync(`${root}/${id}`), 'state dir removed');
  for (const dir of Object.values(record.cgroup.paths)) t.false(existsSync(dir), `${dir} removed`);

  // aborted while create is under way: it finishes, then the container goes, and run rejects
  const midCreate = new AbortController();
  const midId = nextId();
  const pending = run({ id: midId, bundle: makeBundle(['sleep', '60']).dir, root, stdio: 'ignore', signal: midCreate.signal });
  setTimeout(() => midCreate.abort(), 5);
  await t.throwsAsync(pending, { any: true, name: 'AbortError' });
  t.false(existsSync(`${root}/${midId}`), 'nothing left of the container aborted mid-create');

  const aborted = new AbortController();
  aborted.abort();
  await t.throwsAsync(run({ id: nextId(), bundle: makeBundle(['true']).dir, root, signal: aborted.signal }), { any: true, name: 'AbortError' });
});

maybe('a spec object and a rootfs in place of a bundle, checked as config.json is', async (t) => {
  const rootfs = makeBundle(['true']).rootfs;
  const spec = defaultSpec();
  spec.process = { ...spec.process!, args: ['sh', '-c', 'hostname'], terminal: false };
  spec.hostname = 'from-a-spec-object';
  spec.root = { path: 'ignored', readonly: true };
  const c = await run({ id: nextId(), spec, rootfs, root, stdio: ['ignore', 'pipe', 'ignore'] });
  t.is(await readAll(c.stdout), 'from-a-spec-object\n');
  t.deepEqual(await c.wait(), { code: 0, signal: null });
  await c.delete();

  const bad = { ...spec, process: { ...spec.process, args: [] as string[] } };
  const error = await t.throwsAsync(run({ id: nextId(), spec: bad, rootfs, root }), { instanceOf: OrchError });
  t.is(error?.code, 'invalid-config');
  t.regex(error?.message ?? '', /process\.args/);
  t.is(error?.field, 'process.args', 'the field at fault, for callers that branch on it');

  const missing = await t.throwsAsync(run({ id: nextId(), spec, rootfs: `${rootfs}-not-there`, root }), { instanceOf: OrchError });
  t.is(missing?.code, 'system');
  t.is(missing?.errno, 'ENOENT');
  t.is(missing?.path, `${rootfs}-not-there`);
});

maybe('stats and events: an OOM, then the exit', async (t) => {
  // OOMs again and again (so the watch, however late it starts, sees one), until killed
  const bundle = makeBundle(['sh', '-c', 'while true; do tail /dev/zero; sleep 0.1; done'], (spec) => {
    spec.linux = { ...spec.linux, resources: { ...spec.linux?.resources, memory: { limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024 } } };
  });
  const c = await run({ id: nextId(), bundle: bundle.dir, root, stdio: 'ignore' });
  t.teardown(() => c.delete({ force: true }).catch(() => undefined));
  for await (const stats of c.stats({ interval: 100 })) {
    t.true(stats.pids.current >= 1n);
    break;
  }
  const seen: string[] = [];
  for await (const event of c.events()) {
    if (event.type === 'oom' && !seen.includes('oom')) {
      seen.push('oom');
      await c.kill('SIGKILL');
    }
    if (event.type === 'exit') seen.push(`exit ${event.code ?? event.signal}`);
  }
  t.deepEqual(seen, ['oom', 'exit SIGKILL']);
});

maybe('await using: the container is deleted at the end of the scope', async (t) => {
  let id = '';
  {
    await using c = await run({ id: nextId(), bundle: makeBundle(['sleep', '60']).dir, root, stdio: 'ignore' });
    id = c.id;
    t.is(c.state().status, 'running');
  }
  t.false(existsSync(`${root}/${id}`));
});

const COUNT = Number(process.env['ORCH_LIB_COUNT'] ?? 50);
maybe('50 containers at once in one process: all run, all end, nothing is left', async (t) => {
  const rootfs = makeBundle(['true']).rootfs;
  const spec = defaultSpec();
  spec.process = { ...spec.process!, args: ['sh', '-c', 'echo $$'], terminal: false };
  const containers: Container[] = await Promise.all(Array.from({ length: COUNT }, () => run({ id: nextId(), spec, rootfs, root, stdio: ['ignore', 'pipe', 'ignore'] })));
  const outputs = await Promise.all(containers.map((c) => readAll(c.stdout)));
  t.deepEqual(outputs, Array(COUNT).fill('1\n'), 'each is pid 1 of its own namespace');
  const exits = await Promise.all(containers.map((c) => c.wait()));
  t.true(exits.every((e) => e.code === 0));
  await Promise.all(containers.map((c) => c.delete()));
  t.false(list({ root }).some((s) => containers.some((c) => c.id === s.id)));
});


maybe("a hook without env of its own gets the caller's hookEnv, never this process's environment", async (t) => {
  process.env['ORCH_TEST_SERVICE_SECRET'] = 'not for hooks';
  t.teardown(() => delete process.env['ORCH_TEST_SERVICE_SECRET']);
  const out = mkdtempSync(join(tmpdir(), 'orch-hookenv-'));
  const hook = (file: string) => ({ path: '/bin/sh', args: ['sh', '-c', `env > ${join(out, file)}`] });
  const bundle = makeBundle(['true'], (spec) => {
    spec.hooks = { poststart: [hook('without')] };
  });
  const c = await run({ id: nextId(), bundle: bundle.dir, root, stdio: 'ignore' });
  await c.wait();
  await c.delete();
  t.notRegex(readFileSync(join(out, 'without'), 'utf8'), /ORCH_TEST_SERVICE_SECRET/);

  bundle.spec.hooks = { poststart: [hook('given')] };
  bundle.save();
  const given = await run({ id: nextId(), bundle: bundle.dir, root, stdio: 'ignore', hookEnv: { PATH: '/usr/bin:/bin', FROM_THE_CALLER: 'yes' } });
  await given.wait();
  await given.delete();
  t.regex(readFileSync(join(out, 'given'), 'utf8'), /^FROM_THE_CALLER=yes$/m);
});

/** Reads from stream until pattern matches what came so far (the terminal echoes, so match the answer). */
function readUntil(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${JSON.stringify(text)}`)), 10_000);
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}

maybe('a terminal: one stream both ways, its first size, and resize', async (t) => {
  const c = await run({ id: nextId(), bundle: makeBundle(['sh']).dir, root, terminal: { cols: 80, rows: 24 } });
  t.teardown(() => c.delete({ force: true }).catch(() => undefined));
  const term = c.terminal;
  if (!term) return t.fail('no terminal');
  term.write('[ -t 0 ] && echo "tty: $(stty size)"\n');
  t.regex(await readUntil(term, /tty: \d+ \d+/), /tty: 24 80/);
  c.resize(100, 40);
  term.write('echo "now: $(stty size)"\n');
  t.regex(await readUntil(term, /now: \d+ \d+/), /now: 40 100/);
  t.throws(() => c.resize(0, 10), { message: /cols 0: must be an integer from 1 to 65535/ });

  const p = await c.exec({ args: ['sh', '-c', 'echo "exec: $(stty size)"; exit 4'], terminal: { cols: 33, rows: 11 } });
  if (!p.terminal) return t.fail('no exec terminal');
  t.regex(await readUntil(p.terminal, /exec: \d+ \d+/), /exec: 11 33/);
  t.deepEqual(await p.wait(), { code: 4, signal: null });
  term.write('exit 5\n');
  t.deepEqual(await c.wait(), { code: 5, signal: null });
});

maybe('two handles on one container in one process: their changes wait for each other', async (t) => {
  const c = await run({ id: nextId(), bundle: makeBundle(['sleep', '60']).dir, root, stdio: 'ignore' });
  t.teardown(() => c.delete({ force: true }).catch(() => undefined));
  const other = open({ id: c.id, root });
  t.is(other.pid, c.pid);
  await Promise.all([c.pause(), other.update({ pids: { limit: 30 } }), c.update({ pids: { limit: 40 } }), other.update({ memory: { limit: 64 * 1024 * 1024 } })]);
  t.is(other.state().status, 'paused');
  for await (const stats of other.stats()) {
    t.true([30n, 40n].includes(stats.pids.limit), `one pids update after the other: ${stats.pids.limit}`);
    t.is(stats.memory.usage.limit, 64n * 1024n * 1024n, 'and the memory update too');
    break;
  }
  const results = await Promise.allSettled([c.delete({ force: true }), other.delete({ force: true })]);
  t.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled'], 'the second delete --force finds nothing, as runc');
  t.false(existsSync(`${root}/${c.id}`));
});
