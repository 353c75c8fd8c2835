import { spawnSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (npm run build): tests drive orch from outside, as its users do. */
export const ORCH_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../../dist/orch.cjs');

export interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A private --root per test file, so parallel test files never see each other's containers. */
export function makeRoot(): string {
  return mkdtempSync(join(tmpdir(), 'orch-root-'));
}

/**
 * Runs the CLI to completion. Its stdout/stderr go to files, not pipes: a detached container
 * inherits them (as with runc), and a pipe would stay open, and the call blocked, until it exits.
 */
export function orch(root: string, args: string[], options: { cwd?: string; input?: string; timeout?: number; extraFds?: number[] } = {}): Result {
  const dir = mkdtempSync(join(tmpdir(), 'orch-out-'));
  const outPath = join(dir, 'stdout');
  const errPath = join(dir, 'stderr');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  try {
    const result = spawnSync(process.execPath, [ORCH_BIN, '--root', root, ...args], {
      cwd: options.cwd,
      input: options.input,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', out, err, ...(options.extraFds ?? [])],
      timeout: options.timeout ?? 60_000,
    });
    return { status: result.status, signal: result.signal, stdout: readFileSync(outPath, 'utf8'), stderr: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Running {
  /** pid of the orch process itself */
  pid: number;
  done: Promise<Result>;
}

/** The same, without blocking the test's event loop (for long-running containers). */
export function orchAsync(root: string, args: string[], options: { cwd?: string } = {}): Running {
  const child = spawn(process.execPath, [ORCH_BIN, '--root', root, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Result>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { pid: child.pid ?? 0, done };
}

/** The status `orch state` reports, or undefined once the container is gone. */
export function statusOf(root: string, id: string): string | undefined {
  const result = orch(root, ['state', id]);
  return result.status === 0 ? (JSON.parse(result.stdout) as { status: string }).status : undefined;
}

export async function waitForStatus(root: string, id: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (statusOf(root, id) === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`container ${id} never reached ${status}`);
}
