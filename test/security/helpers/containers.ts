/**
 * What the security tests share: one-shot containers of a busybox bundle with the native test
 * tools copied in, the capability masks of /proc/self/status, the fixtures.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBundle, type Bundle } from '../../support/bundle.js';
import { ORCH_BIN, makeRoot, orch, type Result } from '../../support/orch-cli.js';
import type { Seccomp, Spec } from '../../../orchestrator/src/config/spec-types.js';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where the native build put the init helper, and the test tools beside it. */
export const nativeDir = process.env['ORCH_INIT_HELPER'] ? dirname(process.env['ORCH_INIT_HELPER']) : join(repo, 'build/native');
export const tool = (name: string): string => join(nativeDir, name);
export const helperBinary = process.env['ORCH_INIT_HELPER'] ?? join(repo, 'build/native/orch-init');

export const stateRoot = makeRoot();
let serial = 0;
export const nextId = (prefix = 'sec'): string => `${prefix}-${process.pid}-${++serial}`;

/** A bundle running `sh -c script`, with syscall-probe in /bin; `edit` changes the spec. */
export function probeBundle(script: string, edit?: (spec: Spec) => void): Bundle {
  const bundle = makeBundle(['sh', '-c', script], edit);
  copyFileSync(tool('syscall-probe'), join(bundle.rootfs, 'bin/syscall-probe'));
  return bundle;
}

export interface Run extends Result {
  bundle: Bundle;
  id: string;
}

/**
 * `orch run FLAGS` of `sh -c script` in a fresh bundle (with syscall-probe): `edit` changes the
 * spec, `prepare` the bundle's files.
 */
export function runScript(script: string, edit?: (spec: Spec) => void, flags: string[] = [], prepare?: (bundle: Bundle) => void): Run {
  const bundle = probeBundle(script, edit);
  prepare?.(bundle);
  const id = nextId();
  return { ...orch(stateRoot, ['run', ...flags, '--bundle', bundle.dir, id]), bundle, id };
}

/** Lines "name result" that syscall-probe printed, as a map. */
export function probeResults(stdout: string): Record<string, string> {
  const results: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const [name, result] = line.trim().split(/\s+/);
    if (name && result) results[name] = result;
  }
  return results;
}

/** The Cap* masks of a /proc/<pid>/status text, as bigints. */
export function capMasks(status: string): Record<'CapInh' | 'CapPrm' | 'CapEff' | 'CapBnd' | 'CapAmb', bigint> {
  const mask = (key: string): bigint => {
    const match = new RegExp(`^${key}:\\s*([0-9a-f]+)$`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${key} in:\n${status}`);
    return BigInt(`0x${match[1]}`);
  };
  return { CapInh: mask('CapInh'), CapPrm: mask('CapPrm'), CapEff: mask('CapEff'), CapBnd: mask('CapBnd'), CapAmb: mask('CapAmb') };
}

/** Capability numbers of linux/capability.h, for the masks. */
export const CAP = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  FOWNER: 3,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  NET_BIND_SERVICE: 10,
  NET_RAW: 13,
  SYS_CHROOT: 18,
  SYS_ADMIN: 21,
  AUDIT_WRITE: 29,
} as const;

export const maskOf = (...caps: number[]): bigint => caps.reduce((m, c) => m | (1n << BigInt(c)), 0n);

/** A field of a /proc/<pid>/status text (e.g. "NoNewPrivs"). */
export function statusField(status: string, key: string): string | undefined {
  return new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
}

/** Docker's default seccomp section for a default container (test/fixtures). */
export function mobyDefaultSeccomp(): Seccomp {
  const doc = JSON.parse(readFileSync(join(repo, 'test/fixtures/moby-default-seccomp.json'), 'utf8')) as { seccomp: Seccomp };
  return doc.seccomp;
}

/** `orch ARGS` under a wrapper command line (setpriv, taskset …), output through files. */
export function orchWrapped(wrap: string[], args: string[], env: NodeJS.ProcessEnv = process.env): Result {
  const dir = mkdtempSync(join(tmpdir(), 'orch-sec-out-'));
  const out = openSync(join(dir, 'stdout'), 'w');
  const err = openSync(join(dir, 'stderr'), 'w');
  try {
    const result = spawnSync(wrap[0] ?? 'env', [...wrap.slice(1), process.execPath, ORCH_BIN, '--root', stateRoot, ...args], {
      stdio: ['ignore', out, err],
      env,
      timeout: 60_000,
    });
    return {
      status: result.status,
      signal: result.signal,
      stdout: readFileSync(join(dir, 'stdout'), 'utf8'),
      stderr: readFileSync(join(dir, 'stderr'), 'utf8'),
    };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}
