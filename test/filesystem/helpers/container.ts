/**
 * What the filesystem tests share: one-shot containers from a busybox bundle, the mount table
 * they print, host-side scratch directories and mounts (undone after each test), and the native
 * test tools built next to the init helper.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { makeBundle, type Bundle } from '../../support/bundle.js';
import { ORCH_BIN, makeRoot, orch, type Result } from '../../support/orch-cli.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where the native build put the init helper (and the test tools beside it). */
export const nativeDir = process.env.ORCH_INIT_HELPER ? dirname(process.env.ORCH_INIT_HELPER) : join(repo, 'build/native');
export const tool = (name: string): string => join(nativeDir, name);

export const stateRoot = makeRoot();
let serial = 0;
export const nextId = (): string => `fs-${process.pid}-${++serial}`;

export interface Run extends Result {
  bundle: Bundle;
}

export interface RunOptions {
  /** flags of `orch run` (--no-pivot) */
  flags?: string[];
  /** runs orch under this command line (a test tool such as no-openat2) */
  wrap?: string[];
}

/** `orch run` of `sh -c script` in a fresh bundle that `prepare` may change (spec and rootfs). */
export function runScript(script: string, prepare?: (bundle: Bundle) => void, options: RunOptions = {}): Run {
  const bundle = makeBundle(['sh', '-c', script]);
  prepare?.(bundle);
  bundle.save();
  return runBundle(bundle, options);
}

/** `orch run` of a bundle made before (run again and again by the race tests). */
export function runBundle(bundle: Bundle, options: RunOptions = {}): Run {
  const args = ['run', ...(options.flags ?? []), '--bundle', bundle.dir, nextId()];
  if (!options.wrap) return { ...orch(stateRoot, args), bundle };
  // The wrapper execs node with the CLI, as `orch` itself would run.
  const [command, ...rest] = options.wrap;
  return { ...orchVia(command ?? '', [...rest, process.execPath, ORCH_BIN, '--root', stateRoot, ...args]), bundle };
}

function orchVia(command: string, args: string[]): Result {
  try {
    const stdout = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    return { status: 0, signal: null, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
    return { status: e.status, signal: e.signal, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Adds a user namespace mapping container ids 0-65535 to host ids 100000-165535. */
export function withUserns(bundle: Bundle): void {
  const linux = bundle.spec.linux!;
  linux.namespaces!.push({ type: 'user' });
  linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  linux.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
}

export interface MountEntry {
  id: number;
  parent: number;
  root: string;
  mountPoint: string;
  /** per-mount options: ro, nosuid, relatime ... */
  options: string[];
  /** optional fields: shared:N, master:N, unbindable ... */
  tags: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The lines of a /proc/<pid>/mountinfo text (other lines ignored). */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const f = left.split(' ');
    const [fsType, source, superOptions] = right.split(' ');
    if (f.length < 6 || !/^\d+$/.test(f[0] ?? '')) continue;
    entries.push({
      id: Number(f[0]),
      parent: Number(f[1]),
      root: unescape(f[3] ?? ''),
      mountPoint: unescape(f[4] ?? ''),
      options: (f[5] ?? '').split(','),
      tags: f.slice(6),
      fsType: fsType ?? '',
      source: unescape(source ?? ''),
      superOptions: (superOptions ?? '').split(','),
    });
  }
  return entries;
}

/** The top mount at mountPoint (the last one listed: mounts stack in the order they were made). */
export function mountAt(entries: MountEntry[], mountPoint: string): MountEntry | undefined {
  return entries.filter((e) => e.mountPoint === mountPoint).at(-1);
}

export const hostMounts = (): MountEntry[] => parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));

/** Detaches every host mount at or below dir (the test's own, and any a broken runtime leaked). */
function unmountUnder(dir: string): void {
  for (;;) {
    const below = hostMounts().filter((m) => m.mountPoint === dir || m.mountPoint.startsWith(`${dir}/`));
    if (below.length === 0) return;
    for (const m of below.reverse()) {
      try {
        execFileSync('umount', ['-l', m.mountPoint], { stdio: 'ignore' });
      } catch {
        // gone with its parent already
      }
    }
  }
}

/** A host directory (0755, so a user-namespaced container can reach it), removed after the test. */
export function hostDir(t: ExecutionContext, prefix = 'orch-fs-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  t.teardown(() => {
    unmountUnder(dir);
    execFileSync('rm', ['-rf', '--one-file-system', dir]);
  });
  return dir;
}

/** mount(8) on the host at target (inside a hostDir, which undoes it after the test). */
export function hostMount(args: string[], target: string): void {
  execFileSync('mount', [...args, target]);
}
