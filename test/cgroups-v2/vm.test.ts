import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The cgroup v2 half of the cgroup tests: run-in-vm.sh boots the cgroup-v2-only VM and runs
// test/cgroups/container-limits and device-filter there (about 3 minutes idle, 11 while another VM
// test runs beside it, under software emulation: the timeouts leave room for that). Skipped where
// the VM tool is missing, or with ORCH_SKIP_VM=1.
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const script = join(repo, 'test/cgroups-v2/run-in-vm.sh');
const vmRun = process.env['VM_RUN'] ?? join(repo, '../shared/tools/vm/vm-run.sh');
const usable = process.geteuid?.() === 0 && existsSync(vmRun) && process.env['ORCH_SKIP_VM'] !== '1';

(usable ? test : test.skip)('container limits, OOM events, pause, update and the eBPF device filter on cgroup v2 (VM)', async (t) => {
  t.timeout(27 * 60_000);
  // the suite built everything already; the guest only runs it
  const child = spawn(script, [], { cwd: repo, env: { ...process.env, SKIP_BUILD: '1', VM_TIMEOUT: '1500' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const summary = output.split('\n').filter((l) => /[✔✘]|tests? (passed|failed)|ℹ|vm-run:/.test(l));
  t.log(summary.join('\n'));
  if (status === 125) t.fail(`the VM did not run (set ORCH_SKIP_VM=1 where it cannot):\n${output.slice(-3000)}`);
  t.is(status, 0, output.slice(-6000));
  t.regex(output, /\d+ tests passed/);
});
