import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { CgroupPlacement, ContainerRecord } from '../../orchestrator/src/state/container-record.js';

/** A temp dir removed when the test ends. */
export function scratchDir(t: ExecutionContext, prefix = 'orch-state-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A record as create writes it; the cgroup defaults to plain dirs under `dir` (no real cgroupfs). */
export function fakeRecord(dir: string, overrides: Partial<ContainerRecord> = {}): ContainerRecord {
  const cgroup: CgroupPlacement = { version: 1, paths: { devices: join(dir, 'cgroup', 'devices') } };
  return {
    ociVersion: '1.3.0',
    id: 'c1',
    initPid: 0,
    initStartTime: 0,
    bundle: '/bundle',
    rootfs: '/bundle/rootfs',
    created: '2026-11-25T10:00:12.449Z',
    owner: '',
    annotations: {},
    cgroup,
    config: { ociVersion: '1.3.0' } as ContainerRecord['config'],
    ...overrides,
  };
}
