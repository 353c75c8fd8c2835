import { readProcStat } from './process-start-time.js';
import type { CgroupPlacement } from './container-record.js';

/** One process for good: its pid and the start time that tells it from a later one. */
export interface ProcessRef {
  pid: number;
  startTime: number;
}

/**
 * What a create in progress is about to make, written to <root>/<id>/intent.json before each
 * side effect and kept until state.json supersedes it: after a create that was killed at any
 * point, `delete` reads it to remove what exists (processes, the cgroup or systemd unit, the
 * resctrl group) and nothing else.
 */
export interface IntentRecord {
  id: string;
  ociVersion: string;
  bundle: string;
  /** ISO-8601, when the create began */
  created: string;
  /** the orch process creating it: alive means "creating", gone means half-made */
  creator: ProcessRef;
  /** the placement, recorded before any of it is made */
  cgroup?: CgroupPlacement;
  /** the helper's stage-0, recorded before it joins anything */
  helper?: ProcessRef;
  /** the container's init, once the helper reported it */
  init?: ProcessRef;
}

/** This process, as a creator. */
export function selfRef(): ProcessRef {
  return processRef(process.pid) ?? { pid: process.pid, startTime: 0 };
}

/** pid as a ProcessRef, or undefined when it is gone. */
export function processRef(pid: number): ProcessRef | undefined {
  const stat = readProcStat(pid);
  return stat && stat.state !== 'Z' ? { pid, startTime: stat.startTime } : undefined;
}

/** The process is still the one recorded (alive, not a zombie, not a reused pid). */
export function isAlive(ref: ProcessRef | undefined): boolean {
  if (!ref) return false;
  const now = processRef(ref.pid);
  return now !== undefined && now.startTime === ref.startTime;
}
