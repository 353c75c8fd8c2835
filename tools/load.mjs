#!/usr/bin/env node
// Load and soak for orch (as root, after tools/setup.sh; run with --expose-gc for the heap figures):
//   node --expose-gc tools/load.mjs burst [N=100]   N containers created and started at once, through
//                                                 the CLI and then through the library: all must run,
//                                                 none be lost, nothing be left after delete --force
//   node --expose-gc tools/load.mjs soak [N=1000]   N sequential create/start/delete through the library
//                                                 (one process) and N/10 through the CLI: fds, heap,
//                                                 listeners, mounts and cgroups sampled, no growth
// Prints the figures; exits non-zero when a container is lost or something is left or grows.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ORCH = join(repo, 'dist/orch.cjs');
const api = await import(join(repo, 'dist/api.mjs'));
// RSS: V8 grows its young generation (heapTotal) under the churn of many containers while the
// heap in use stays flat; --max-semi-space-size=2 caps that (measured: 1000 containers, RSS
// 56 -> 87 MiB by default, 56 -> 61.5 MiB capped, heap in use 5.2 -> 6.2 MiB either way).
const [mode = 'burst', count] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'orch-load-'));
const root = join(work, 'root');
const tag = `orchload${process.pid}`;
let problems = 0;

function bundle(args) {
  const dir = mkdtempSync(join(work, 'bundle-'));
  const rootfs = join(dir, 'rootfs');
  for (const sub of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc']) mkdirSync(join(rootfs, sub), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
  chmodSync(join(rootfs, 'bin/busybox'), 0o755);
  for (const applet of ['sh', 'sleep', 'true']) symlinkSync('busybox', join(rootfs, 'bin', applet));
  const spec = api.defaultSpec();
  spec.process.args = args;
  spec.process.terminal = false;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
  return dir;
}

const cgroupsPath = (id) => `/${tag}/${id}`;
function withCgroup(dir, id) {
  const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  spec.linux.cgroupsPath = cgroupsPath(id);
  const own = join(work, `bundle-${id}`);
  mkdirSync(own);
  symlinkSync(join(dir, 'rootfs'), join(own, 'rootfs'));
  writeFileSync(join(own, 'config.json'), JSON.stringify(spec));
  return own;
}

/** Cgroup dirs of this run (all hierarchies), host mounts, processes in this run's cgroups. */
function hostCounts() {
  let cgroups = 0;
  const base = '/sys/fs/cgroup';
  const dirs = [join(base, tag), ...readdirSync(base).map((h) => join(base, h, tag))];
  for (const dir of dirs) if (existsSync(dir)) cgroups += readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').length;
  let procs = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // a zombie is dead, waiting for pid 1 (which reaps slowly here) to collect it
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) continue;
      if (readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/${tag}/`)) procs++;
    } catch {
      // gone
    }
  }
  const states = existsSync(root) ? readdirSync(root).filter((n) => !n.includes('@')).length : 0;
  return { cgroups, mounts, procs, states };
}

function selfCounts() {
  globalThis.gc?.();
  return {
    fds: readdirSync('/proc/self/fd').length,
    heapMiB: +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1),
    rssMiB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
    externalMiB: +(process.memoryUsage().external / 2 ** 20).toFixed(1),
    heapTotalMiB: +(process.memoryUsage().heapTotal / 2 ** 20).toFixed(1),
    listeners: ['SIGTERM', 'SIGINT', 'SIGCHLD', 'exit'].reduce((n, e) => n + process.listenerCount(e), 0),
  };
}

function cli(args) {
  return new Promise((resolve) => {
    // a detached container keeps the caller's stdio (as with runc): wait for orch's exit, not
    // for the pipe to close
    const child = spawn(process.execPath, [ORCH, '--root', root, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => {
      child.stderr.destroy();
      resolve({ status, stderr });
    });
  });
}

function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) problems++;
}

async function burst(n) {
  const sleeper = bundle(['sleep', '3600']);
  const before = hostCounts();
  for (const via of ['cli', 'library']) {
    const ids = Array.from({ length: n }, (_, i) => `${via}-${i}`);
    const bundles = ids.map((id) => withCgroup(sleeper, id));
    const started = Date.now();
    const results = await Promise.all(
      ids.map(async (id, i) => {
        if (via === 'cli') return cli(['run', '-d', '--bundle', bundles[i], id]);
        try {
          await api.runContainer({ root, id, bundle: bundles[i], detach: true });
          return { status: 0, stderr: '' };
        } catch (err) {
          return { status: 1, stderr: err.message };
        }
      }),
    );
    const took = Date.now() - started;
    const failed = results.filter((r) => r.status !== 0);
    const running = api.listContainers({ root }).filter((c) => c.status === 'running' && ids.includes(c.id)).length;
    check(`${via}: ${n} run -d at once in ${took} ms, all running`, failed.length === 0 && running === n, `${failed.length} failed${failed[0] ? ` (${failed[0].stderr.trim()})` : ''}, ${running} running`);
    await Promise.all(ids.map((id) => (via === 'cli' ? cli(['delete', '--force', id]) : api.deleteContainer({ root, id, force: true }))));
    const after = hostCounts();
    check(`${via}: nothing left after delete --force`, after.cgroups === before.cgroups && after.procs === 0 && after.states === 0 && after.mounts === before.mounts, JSON.stringify(after));
  }
}

async function soak(n) {
  const quick = bundle(['true']);
  const one = async (id) => {
    const dir = withCgroup(quick, id);
    await api.createContainer({ root, id, bundle: dir });
    await api.startContainer({ root, id });
    for (let i = 0; i < 200 && api.containerState({ root, id }).status !== 'stopped'; i++) await new Promise((r) => setTimeout(r, 5));
    await api.deleteContainer({ root, id });
    rmSync(dir, { recursive: true });
  };
  const host0 = hostCounts();
  for (let i = 0; i < 20; i++) await one(`warm-${i}`); // caches, lazy modules, JIT
  const self0 = selfCounts();
  const started = Date.now();
  const samples = [];
  for (let i = 0; i < n; i++) {
    await one(`soak-${i}`);
    if ((i + 1) % Math.max(1, Math.floor(n / 5)) === 0) samples.push({ after: i + 1, ...selfCounts(), ...hostCounts() });
  }
  const perContainer = (Date.now() - started) / n;
  console.log(`library: ${n} sequential create/start/delete, ${perContainer.toFixed(1)} ms each`);
  for (const s of samples) console.log(`  after ${s.after}: ${JSON.stringify(s)}`);
  const last = samples[samples.length - 1];
  check('library: no growth in fds or listeners', last.fds <= self0.fds && last.listeners <= self0.listeners, `start ${JSON.stringify(self0)}`);
  check('library: heap within 5 MiB of where it began', last.heapMiB - self0.heapMiB < 5, `${self0.heapMiB} -> ${last.heapMiB} MiB`);
  check('library: nothing left on the host', last.cgroups === host0.cgroups && last.mounts === host0.mounts && last.procs === 0 && last.states === 0, JSON.stringify(last));
  const m = Math.max(10, Math.floor(n / 10));
  const cliStart = Date.now();
  for (let i = 0; i < m; i++) {
    const id = `cli-soak-${i}`;
    const dir = withCgroup(quick, id);
    const r = await cli(['run', '--bundle', dir, id]);
    if (r.status !== 0) check(`cli run ${id}`, false, r.stderr.trim());
  }
  const after = hostCounts();
  console.log(`cli: ${m} sequential run (create, start, wait, delete), ${((Date.now() - cliStart) / m).toFixed(1)} ms each`);
  check('cli: nothing left on the host', after.cgroups === host0.cgroups && after.mounts === host0.mounts && after.procs === 0 && after.states === 0, JSON.stringify(after));
}

try {
  if (mode === 'burst') await burst(Number(count ?? 100));
  else if (mode === 'soak') await soak(Number(count ?? 1000));
  else throw new Error(`usage: load.mjs burst|soak [N]`);
} finally {
  for (const base of ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map((h) => join('/sys/fs/cgroup', h))]) {
    try {
      rmSync(join(base, tag), { recursive: false });
    } catch {
      spawnSync('rmdir', [join(base, tag)]);
    }
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(problems ? 1 : 0);
