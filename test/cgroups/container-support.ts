import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LinuxResources, Spec } from '../../orchestrator/src/config/spec-types.js';
import { makeBundle, type Bundle } from '../support/bundle.js';
import { orch, ORCH_BIN, type Result } from '../support/orch-cli.js';

/** Helpers for the cgroup tests that run real containers, on v1 (this host) or v2 (the VM). */

export const CGROUP2_SUPER_MAGIC = 0x63677270;

export function hostCgroupVersion(): 1 | 2 {
  return statfsSync('/sys/fs/cgroup').type === CGROUP2_SUPER_MAGIC ? 2 : 1;
}

/** Real containers need root and busybox, as the rest of the suite. */
export const canRunContainers = process.geteuid?.() === 0 && existsSync('/bin/busybox');

/** A bundle running `sh -c script` with these resources, its rootfs writable (for result files). */
export function limitBundle(resources: LinuxResources, script: string, edit?: (spec: Spec) => void): Bundle {
  return makeBundle(['sh', '-c', script], (spec) => {
    spec.root = { path: 'rootfs', readonly: false };
    spec.linux = { ...spec.linux, resources: { ...spec.linux?.resources, ...resources } };
    edit?.(spec);
  });
}

/** The path of a cgroup file as the container sees it (its cgroup is the root of /sys/fs/cgroup inside). */
export function insidePath(version: 1 | 2, v1: string, v2: string): string {
  return version === 2 ? `/sys/fs/cgroup/${v2}` : `/sys/fs/cgroup/${v1}`;
}

export interface StatsData {
  cpu: { usage?: { total?: number }; throttling?: { periods?: number; throttledPeriods?: number } };
  memory: { usage?: { limit: number; usage?: number } };
  pids: { current?: number; limit?: number };
}

/** `events --stats`, parsed (the values these tests read are far below 2^53). */
export function statsOf(root: string, id: string): StatsData {
  const result = orch(root, ['events', '--stats', id]);
  if (result.status !== 0) throw new Error(`events --stats ${id}: ${result.stderr}`);
  const event = JSON.parse(result.stdout) as { type: string; id: string; data: StatsData };
  if (event.type !== 'stats' || event.id !== id) throw new Error(`unexpected event ${result.stdout}`);
  return event.data;
}

/** Waits until the file in the rootfs exists and holds text matching re; returns the text. */
export async function waitForFile(bundle: Bundle, path: string, re: RegExp, timeoutMs = 20_000): Promise<string> {
  const file = join(bundle.rootfs, path);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (re.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${path} never matched ${re}: ${JSON.stringify(text)}`);
    await sleep(50);
  }
}

export interface EventsWatch {
  /** the lines printed so far */
  lines(): string[];
  /** the lines with the time (ms, monotonic) each arrived */
  timed(): Array<{ line: string; at: number }>;
  stop(): void;
  /** resolves once a line matches re */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  done: Promise<Result>;
}

/** `orch events` running in the background, its output readable while it runs. */
export function watchEvents(root: string, args: string[]): EventsWatch {
  const child = spawn(process.execPath, [ORCH_BIN, '--root', root, 'events', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const arrived: Array<{ line: string; at: number }> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const at = performance.now();
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line !== '') arrived.push({ line, at });
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Result>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  const lines = (): string[] => arrived.map((a) => a.line);
  return {
    lines,
    timed: () => [...arrived],
    stop: () => void child.kill('SIGTERM'),
    done,
    waitFor: async (re, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines().find((l) => re.test(l));
        if (line !== undefined) return line;
        if (Date.now() > deadline) throw new Error(`no events line matched ${re}; stdout ${stdout}; stderr ${stderr}`);
        await sleep(50);
      }
    },
  };
}
