import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs systemd-cgroup.test.ts, podman-systemd.test.ts and the containerd client tests (whose
// shim then calls orch with --systemd-cgroup) next to a real systemd (with-systemd.sh boots one in namespaces of
// its own): on this host, whatever its cgroup version, and on cgroup v2 in the VM of
// ../shared/tools/vm (skipped where that tool is missing, or with ORCH_SKIP_VM=1).
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const withSystemd = join(repo, 'test/systemd/with-systemd.sh');
const vmRun = process.env['VM_RUN'] ?? join(repo, '../shared/tools/vm/vm-run.sh');
const root = process.geteuid?.() === 0 && existsSync('/lib/systemd/systemd') && existsSync('/bin/busybox');
const hostVersion = statfsSync('/sys/fs/cgroup').type === 0x63677270 ? 2 : 1;
const inner = ['node', 'node_modules/ava/entrypoints/cli.mjs', '--concurrency=1', '--timeout=5m', 'build/test/systemd/systemd-cgroup.test.js', 'build/test/systemd/podman-systemd.test.js', 'build/test/clients/containerd.test.js'];

async function runAndCheck(t: ExecutionContext, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.log(output.split('\n').filter((l) => /[✔✘]|tests? (passed|failed|skipped)|with-systemd:.*(booted|stopped)/.test(l)).join('\n'));
  t.is(status, 0, output.slice(-6000));
  t.regex(output, /\d+ tests passed/);
  t.notRegex(output, /skipped/, 'systemd was running for every test');
}

(root ? test.serial : test.skip)(`the systemd cgroup driver against a real systemd on this host (cgroup v${hostVersion})`, async (t) => {
  t.timeout(5 * 60_000);
  await runAndCheck(t, withSystemd, ['--', ...inner], { WITH_SYSTEMD_VERBOSE: '1' });
});

(root && existsSync(vmRun) && process.env['ORCH_SKIP_VM'] !== '1' ? test.serial : test.skip)('the systemd cgroup driver against a real systemd on cgroup v2 (VM)', async (t) => {
  t.timeout(27 * 60_000);
  // the guest's environment starts clean: what the scripts read is passed with --env
  const env = ['--env', 'WITH_SYSTEMD_VERBOSE=1', '--env', 'SYSTEMD_BOOT_TIMEOUT=300'];
  await runAndCheck(t, vmRun, ['--share', `${repo}:${repo}`, '--cwd', repo, '--timeout', '1500', ...env, '--', withSystemd, '--', ...inner], {});
});
