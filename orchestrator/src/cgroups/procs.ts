import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemError } from '../errors/orch-error.js';

/** Puts pid in the cgroup at dir (the whole process, all its threads). */
export function writeCgroupProc(dir: string, pid: number): void {
  const file = join(dir, 'cgroup.procs');
  try {
    writeFileSync(file, String(pid));
  } catch (err) {
    throw systemError(`add pid ${pid} to ${file}`, err);
  }
}

/** Pids in the cgroup at dir and, with `recursive`, in its sub-cgroups; [] when dir is gone. */
export function readCgroupProcs(dir: string, recursive: boolean): number[] {
  const pids = new Set<number>();
  collect(dir, recursive, pids);
  return [...pids].sort((a, b) => a - b);
}

function collect(dir: string, recursive: boolean, into: Set<number>): void {
  let text: string;
  try {
    text = readFileSync(join(dir, 'cgroup.procs'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw systemError(`read ${join(dir, 'cgroup.procs')}`, err);
  }
  for (const line of text.split('\n')) if (line !== '') into.add(Number(line));
  if (!recursive) return;
  for (const child of subCgroups(dir)) collect(join(dir, child), true, into);
}

/** Names of the sub-cgroups (directories) of dir. */
export function subCgroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw systemError(`read cgroup dir ${dir}`, err);
  }
}
