import test from 'ava';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBundle, type Bundle } from '../support/bundle.js';
import { ORCH_BIN, makeRoot, orch, orchAsync, statusOf } from '../support/orch-cli.js';

// Real checkpoint/restore through criu. Debian's criu 3.17 cannot work on every kernel (6.18's
// vDSO defeats it): these tests run where `criu check` passes, i.e. in the 6.1 VM of
// test/criu/run-in-vm.sh, and are skipped elsewhere (criu-errors.test.ts covers the rest).
const criuWorks = spawnSync('criu', ['check'], { stdio: 'ignore' }).status === 0;
const criuTest = criuWorks ? test.serial : test.serial.skip;

const root = makeRoot();
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** test/criu/tools/lock-holder.c, built (static) beside the init helper */
const LOCK_HOLDER = join(process.env['ORCH_INIT_HELPER'] ? dirname(process.env['ORCH_INIT_HELPER']) : join(repo, 'build/native'), 'lock-holder');
let serial = 0;
const nextId = (): string => `criu-${process.pid}-${++serial}`;

/**
 * A container counting in memory, ten times a second, writing each value to /tmp/count of its
 * rootfs; it exits 7 once /tmp/stop exists. `locked`: under flock(1), which holds a lock on
 * /tmp/lock while the counter runs (criu dumps locks only when asked: --file-locks).
 */
function counterBundle(locked = false): Bundle {
  const counter = ['sh', '-c', 'i=0; while [ ! -e /tmp/stop ]; do i=$((i+1)); echo $i > /tmp/count; sleep 0.1; done; exit 7'];
  const bundle = makeBundle(locked ? ['lock-holder', '/tmp/lock', ...counter] : counter, (spec) => {
    spec.root!.readonly = false;
  });
  if (locked) copyFileSync(LOCK_HOLDER, join(bundle.rootfs, 'bin/lock-holder'));
  return bundle;
}

/**
 * `run -d` with the counter's stdio on /dev/null: criu dumps an fd of a file only when the
 * container can see the file's mount (orch()'s output files are the host's, and deleted).
 */
function runDetached(bundle: Bundle, id: string): void {
  const result = spawnSync(process.execPath, [ORCH_BIN, '--root', root, 'run', '-d', '-b', bundle.dir, id], { stdio: 'ignore', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`run -d ${id} failed with status ${result.status}`);
}

const countOf = (bundle: Bundle): number => Number(readFileSync(join(bundle.rootfs, 'tmp/count'), 'utf8'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function countReaches(bundle: Bundle, value: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (existsSync(join(bundle.rootfs, 'tmp/count')) && countOf(bundle) >= value) return;
    await sleep(50);
  }
  throw new Error(`the count never reached ${value}`);
}

criuTest('a checkpointed counter stops and is gone; restored under a new id it counts on from where it stopped', async (t) => {
  const bundle = counterBundle(true);
  const id = nextId();
  runDetached(bundle, id);
  t.teardown(() => void orch(root, ['delete', '-f', id]));
  await countReaches(bundle, 3);
  const images = join(bundle.dir, 'images');
  const refused = orch(root, ['checkpoint', '--image-path', images, id]);
  t.is(refused.status, 1);
  t.regex(refused.stderr, /criu dump failed: exit status 1: .*lock.*\(log file: .*dump\.log\)/i);
  t.is(statusOf(root, id), 'running', 'a failed checkpoint leaves the container running');

  const checkpoint = orch(root, ['checkpoint', '--file-locks', '--image-path', images, id]);
  t.is(checkpoint.status, 0, checkpoint.stderr);
  const stopped = countOf(bundle);
  t.is(statusOf(root, id), undefined, 'checkpoint deletes the container');
  await sleep(500);
  t.is(countOf(bundle), stopped, 'nothing counts while checkpointed');

  const restoredId = nextId();
  const pidFile = join(bundle.dir, 'restored.pid');
  const restore = orch(root, ['restore', '-d', '--file-locks', '--image-path', images, '--pid-file', pidFile, '-b', bundle.dir, restoredId]);
  t.is(restore.status, 0, restore.stderr);
  t.teardown(() => void orch(root, ['delete', '-f', restoredId]));
  const state = JSON.parse(orch(root, ['state', restoredId]).stdout) as { status: string; pid: number };
  t.is(state.status, 'running');
  t.is(readFileSync(pidFile, 'utf8'), String(state.pid));
  await countReaches(bundle, stopped + 3);
  // from where it stopped: a restart would have begun again at 1
  const after = countOf(bundle);
  t.true(after > stopped && after < stopped + 100, `count ${after} after ${stopped}`);
  // a restored container is a container like any other: exec joins its namespaces; its lock is back
  const exec = orch(root, ['exec', restoredId, 'sh', '-c', 'cat /tmp/count; cat /proc/locks']);
  t.is(exec.status, 0, exec.stderr);
  t.true(Number(exec.stdout.split('\n')[0]) >= after);
  t.regex(exec.stdout, /FLOCK/);

  // --leave-running: checkpointed again, it goes on; --work-path gets criu's log
  const work = join(bundle.dir, 'work');
  const again = orch(root, ['checkpoint', '--leave-running', '--file-locks', '--tcp-established', '--image-path', join(bundle.dir, 'images2'), '--work-path', work, restoredId]);
  t.is(again.status, 0, again.stderr);
  t.true(existsSync(join(work, 'dump.log')));
  const atCheckpoint = countOf(bundle);
  await countReaches(bundle, atCheckpoint + 3);
  t.is(statusOf(root, restoredId), 'running');
});

criuTest('a foreground restore waits for the container, exits with its status and deletes it', async (t) => {
  const bundle = counterBundle();
  const id = nextId();
  runDetached(bundle, id);
  await countReaches(bundle, 2);
  const images = join(bundle.dir, 'images');
  const checkpoint = orch(root, ['checkpoint', '--image-path', images, id]);
  t.is(checkpoint.status, 0, checkpoint.stderr);
  const restoredId = nextId();
  const running = orchAsync(root, ['restore', '--image-path', images, '-b', bundle.dir, restoredId]);
  t.teardown(() => void orch(root, ['delete', '-f', restoredId]));
  await countReaches(bundle, countOf(bundle) + 2);
  writeFileSync(join(bundle.rootfs, 'tmp/stop'), '');
  const result = await running.done;
  t.is(result.status, 7, result.stderr);
  t.is(statusOf(root, restoredId), undefined);
});
