/**
 * A host directory a hostile rootfs points at. The tests check afterwards that orch neither
 * changed it (entries, modes, owners, times, contents) nor mounted anything at or below it in
 * the host's mount namespace.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { hostDir, hostMount, hostMounts } from './container.js';

export interface Sentinel {
  dir: string;
  /** a file inside dir */
  file: string;
  /** what changed since the sentinel was made: [] when nothing did */
  changes(): string[];
}

function snapshot(dir: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (path: string): void => {
    const st = lstatSync(path);
    const content = st.isFile() ? readFileSync(path, 'utf8') : '';
    seen.set(path, `${st.mode} ${st.uid}:${st.gid} ${st.size} ${st.mtimeMs} ${st.ctimeMs} ${content}`);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return seen;
}

const mountsUnder = (dir: string): string[] =>
  hostMounts()
    .filter((m) => m.mountPoint === dir || m.mountPoint.startsWith(`${dir}/`))
    .map((m) => `${m.id} ${m.mountPoint} (${m.fsType})`);

/**
 * shared: the directory becomes a shared mount of its own, so that a mount the runtime made
 * there in a container whose root propagation is shared would show in the host's mount table.
 */
export function makeSentinel(t: ExecutionContext, options: { shared?: boolean } = {}): Sentinel {
  const dir = hostDir(t, 'orch-sentinel-');
  const file = join(dir, 'sentinel');
  writeFileSync(file, 'host data: must stay as it is\n');
  if (options.shared) {
    hostMount(['--bind', dir], dir);
    execFileSync('mount', ['--make-shared', dir]);
  }
  const before = snapshot(dir);
  const mountsBefore = mountsUnder(dir);
  return {
    dir,
    file,
    changes() {
      const changes: string[] = [];
      const after = snapshot(dir);
      for (const [path, state] of after) if (before.get(path) !== state) changes.push(`${path}: ${before.get(path) ?? '(new)'} -> ${state}`);
      for (const path of before.keys()) if (!after.has(path)) changes.push(`${path}: removed`);
      for (const m of mountsUnder(dir)) if (!mountsBefore.includes(m)) changes.push(`host mount ${m}`);
      return changes;
    },
  };
}
