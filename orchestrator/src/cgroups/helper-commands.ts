import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { helperPath } from '../bootstrap/helper-path.js';
import { OrchError, systemError } from '../errors/orch-error.js';

/**
 * The helper's cgroup subcommands, for what Node cannot call: bpf(2) for the v2 device filter
 * (`cgroup-devices DIR`, rules as JSON on stdin) and an eventfd registered for v1 OOM events
 * (`cgroup-oom DIR`, one line per event). Every cgroup driver runs them through here.
 */
export type HelperCgroupCommand = 'cgroup-devices' | 'cgroup-oom';

/** Runs a subcommand to its end; an exit other than 0 is an error with the helper's words. */
export function runHelperCommand(command: HelperCgroupCommand, dir: string, input: string): void {
  const result = spawnSync(helperPath(), [command, dir], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  if (result.error) throw systemError(`${command}: run ${helperPath()}`, result.error);
  if (result.status !== 0) throw new OrchError('system', `${dir}: ${result.stderr.trim() || `orch-init ${command} exited with ${result.status ?? result.signal}`}`);
}

/** Starts a long-running subcommand; its stdout carries the events. */
export function startHelperCommand(command: HelperCgroupCommand, dir: string): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(helperPath(), [command, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
}
