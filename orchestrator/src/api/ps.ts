import { spawnSync } from 'node:child_process';
import { cgroupDriver } from '../cgroups/driver.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/** `ps`: the host pids of every process in the container's cgroup, sub-cgroups included (runc's Processes()). */
export function containerPids(opts: RuntimeOptions & { id: string }): number[] {
  validateContainerId(opts.id);
  const record = new StateStore(opts.root).read(opts.id);
  return cgroupDriver(record.cgroup).pids();
}

/**
 * `ps` as a table, as runc makes it: runs the host's `ps <psArgs>` (default -ef) and keeps the
 * header and the lines whose PID column is one of the container's.
 */
export function containerPsTable(opts: RuntimeOptions & { id: string }, psArgs: readonly string[]): string {
  const pids = new Set(containerPids(opts));
  const args = psArgs.length === 0 ? ['-ef'] : [...psArgs];
  const result = spawnSync('ps', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw systemError('exec ps', result.error);
  if (result.status !== 0) {
    const status = result.status === null ? `signal: ${result.signal ?? 'unknown'}` : `exit status ${result.status}`;
    throw new OrchError('system', `${status}: ${result.stdout}${result.stderr}`);
  }
  return filterPsOutput(result.stdout, pids);
}

/** The header, then the lines whose PID field is in pids. */
export function filterPsOutput(output: string, pids: ReadonlySet<number>): string {
  const [header = '', ...lines] = output.split('\n');
  const pidIndex = header.trim().split(/\s+/).indexOf('PID');
  if (pidIndex < 0) throw new OrchError('system', "couldn't find PID field in ps output");
  let out = `${header}\n`;
  for (const line of lines) {
    if (line === '') continue;
    const field = line.trim().split(/\s+/)[pidIndex] ?? '';
    if (!/^[+-]?\d+$/.test(field)) throw new OrchError('system', `unable to parse pid: strconv.Atoi: parsing ${JSON.stringify(field)}: invalid syntax`);
    if (pids.has(Number(field))) out += `${line}\n`;
  }
  return out;
}
