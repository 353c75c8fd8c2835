import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch, statusOf } from '../support/orch-cli.js';

// What checkpoint and restore refuse, and how a criu failure reads: on any host.
const root = makeRoot();
let serial = 0;
const nextId = (): string => `criuerr-${process.pid}-${++serial}`;
const criuWorks = spawnSync('criu', ['check'], { stdio: 'ignore' }).status === 0;

test('only a running or paused container can be checkpointed (runc\'s words)', (t) => {
  const bundle = makeBundle(['sleep', '1000']);
  const id = nextId();
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  const created = orch(root, ['checkpoint', '--image-path', join(bundle.dir, 'images'), id]);
  t.is(created.status, 1);
  t.regex(created.stderr, /Container cannot be checkpointed in created state/);
  t.is(orch(root, ['kill', id, 'KILL']).status, 0);
  const unknown = orch(root, ['checkpoint', 'no-such-container']);
  t.is(unknown.status, 1);
  t.regex(unknown.stderr, /container does not exist/);
});

test('bad criu options are refused before criu runs', (t) => {
  const bundle = makeBundle(['sleep', '1000']);
  const id = nextId();
  t.is(orch(root, ['run', '-d', '-b', bundle.dir, id]).status, 0);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  const images = join(bundle.dir, 'images');
  const mode = orch(root, ['checkpoint', '--manage-cgroups-mode', 'sometimes', '--image-path', images, id]);
  t.regex(mode.stderr, /invalid manage-cgroups-mode value/);
  const ns = orch(root, ['checkpoint', '--empty-ns', 'pid', '--image-path', images, id]);
  t.regex(ns.stderr, /namespace \\"pid\\" is not supported/);
  const parent = orch(root, ['checkpoint', '--parent-path', '/abs', '--image-path', images, id]);
  t.regex(parent.stderr, /--parent-path must be relative/);
  const server = orch(root, ['checkpoint', '--page-server', 'nohost', '--image-path', images, id]);
  t.regex(server.stderr, /Use --page-server ADDRESS:PORT/);
  t.is(statusOf(root, id), 'running');
});

(criuWorks ? test.skip : test)('where criu cannot dump, checkpoint quotes its log and leaves the container running', (t) => {
  const bundle = makeBundle(['sleep', '1000']);
  const id = nextId();
  t.is(orch(root, ['run', '-d', '-b', bundle.dir, id]).status, 0);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  const images = join(bundle.dir, 'images');
  const result = orch(root, ['checkpoint', '--image-path', images, id]);
  t.is(result.status, 1);
  t.regex(result.stderr, new RegExp(`criu dump failed: exit status \\d+: .*Error.*\\(log file: ${images}/dump.log\\)`));
  t.is(statusOf(root, id), 'running');
});

test('restore needs a checkpoint and a free id', (t) => {
  const bundle = makeBundle(['sleep', '1000']);
  const missing = orch(root, ['restore', '-d', '--image-path', join(bundle.dir, 'nothing'), '-b', bundle.dir, nextId()]);
  t.is(missing.status, 1);
  t.regex(missing.stderr, /descriptors\.json: ENOENT/);
  const id = nextId();
  t.is(orch(root, ['create', '-b', bundle.dir, id]).status, 0);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  const taken = orch(root, ['restore', '-d', '--image-path', join(bundle.dir, 'nothing'), '-b', bundle.dir, id]);
  t.is(taken.status, 1);
  t.regex(taken.stderr, /container with given ID already exists/);
  t.is(statusOf(root, id), 'created', 'the existing container is untouched');
});

test('the global --criu names the criu that checkpoint runs', (t) => {
  const bundle = makeBundle(['sleep', '1000']);
  const id = nextId();
  t.is(orch(root, ['run', '-d', '-b', bundle.dir, id]).status, 0);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  // a stand-in criu that says which command it was given, and fails it
  const fake = join(bundle.dir, 'fake-criu');
  const calls = join(bundle.dir, 'calls');
  writeFileSync(fake, `#!/bin/sh\necho "$1" >> ${calls}\n[ "$1" = --version ] && { echo "Version: 3.17.1"; exit 0; }\nexit 7\n`, { mode: 0o755 });
  const images = join(bundle.dir, 'images');
  const result = orch(root, ['--criu', fake, 'checkpoint', '--image-path', images, id]);
  t.is(result.status, 1);
  t.regex(result.stderr, /criu dump failed: exit status 7/);
  t.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), ['--version', 'dump']);
  const missing = orch(root, ['--criu', '/no/such/criu', 'checkpoint', '--image-path', images, id]);
  t.is(missing.status, 1);
  t.regex(missing.stderr, /--criu \/no\/such\/criu: no such file or directory/);
  t.is(statusOf(root, id), 'running');
});
