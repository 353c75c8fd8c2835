import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, acquireLockSync, lockOwnerAlive } from '../../orchestrator/src/state/lock.js';
import { readProcStat } from '../../orchestrator/src/state/process-start-time.js';
import { scratchDir } from './fixtures.js';

const LOCK_MODULE = new URL('../../orchestrator/src/state/lock.js', import.meta.url).href;

/** A child process that runs `body` with acquireLockSync/acquireLock in scope. */
function child(body: string): ReturnType<typeof spawn> {
  const code = `const { acquireLock, acquireLockSync } = await import(${JSON.stringify(LOCK_MODULE)});\n${body}`;
  return spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function exited(proc: ReturnType<typeof spawn>): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

test('a second process waits until the first releases', async (t) => {
  const dir = scratchDir(t);
  const lock = join(dir, 'c1@lock');
  const marker = join(dir, 'releasing');
  // the holder leaves a marker just before it releases: finding it proves we got in only after
  const holder = child(`
    const { writeFileSync } = await import('node:fs');
    const held = acquireLockSync(${JSON.stringify(lock)});
    process.stdout.write('held\\n');
    setTimeout(() => { writeFileSync(${JSON.stringify(marker)}, ''); held.release(); }, 300);
  `);
  await new Promise<void>((resolve) => {
    let output = '';
    holder.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('held')) resolve();
    });
  });
  const mine = await acquireLock(lock, { timeoutMs: 5000 });
  t.true(existsSync(marker), 'acquired only after the holder let go');
  mine.release();
  t.is(await exited(holder), 0);
  t.false(existsSync(lock));
});

test('mutual exclusion: concurrent lockers in several processes never overlap', async (t) => {
  const dir = scratchDir(t);
  const lock = join(dir, 'c1@lock');
  const counter = join(dir, 'counter');
  writeFileSync(counter, '0');
  const rounds = 40;
  const body = (sync: boolean): string => `
    import('node:fs').then(async ({ readFileSync, writeFileSync }) => {
      for (let i = 0; i < ${rounds}; i++) {
        const held = ${sync ? `acquireLockSync(${JSON.stringify(lock)})` : `await acquireLock(${JSON.stringify(lock)})`};
        const n = Number(readFileSync(${JSON.stringify(counter)}, 'utf8'));
        await new Promise((r) => setImmediate(r));
        writeFileSync(${JSON.stringify(counter)}, String(n + 1));
        held.release();
      }
    });`;
  const procs = [child(body(true)), child(body(false)), child(body(true))];
  const codes = await Promise.all(procs.map(exited));
  t.deepEqual(codes, [0, 0, 0]);
  t.is(readFileSync(counter, 'utf8'), String(3 * rounds));
  t.deepEqual(readdirSync(dir).sort(), ['counter']);
});

test('a lock left by a dead process is broken', (t) => {
  const lock = join(scratchDir(t), 'c1@lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync("/proc/self/stat", "utf8"))']);
  const deadPid = Number(dead.stdout.toString().split(' ')[0]);
  writeFileSync(lock, `${deadPid} 12345 abc\n`);
  t.false(lockOwnerAlive(readFileSync(lock, 'utf8')));
  const held = acquireLockSync(lock, { timeoutMs: 1000 });
  t.true(readFileSync(lock, 'utf8').startsWith(`${process.pid} `));
  held.release();
});

test('a lock naming a live pid with another start time (pid reused) is stale', (t) => {
  const lock = join(scratchDir(t), 'c1@lock');
  const self = readProcStat(process.pid);
  t.true(lockOwnerAlive(`${process.pid} ${self?.startTime} x`));
  writeFileSync(lock, `${process.pid} ${(self?.startTime ?? 0) + 1} stale\n`);
  const held = acquireLockSync(lock, { timeoutMs: 1000 });
  t.regex(readFileSync(lock, 'utf8'), new RegExp(`^${process.pid} ${self?.startTime} `));
  held.release();
});

test('a live holder makes others time out, naming the holder', async (t) => {
  const lock = join(scratchDir(t), 'c1@lock');
  const held = acquireLockSync(lock);
  t.throws(() => acquireLockSync(lock, { timeoutMs: 100 }), { message: new RegExp(`timed out waiting for lock .*c1@lock held by pid ${process.pid}`) });
  await t.throwsAsync(acquireLock(lock, { timeoutMs: 100 }), { message: /timed out/ });
  held.release();
  held.release(); // twice is harmless
  t.deepEqual(readdirSync(join(lock, '..')), []);
});

test('release never removes a lock that is not ours', (t) => {
  const lock = join(scratchDir(t), 'c1@lock');
  const held = acquireLockSync(lock);
  writeFileSync(lock, 'someone else\n');
  held.release();
  t.is(readFileSync(lock, 'utf8'), 'someone else\n');
});
