import { readFileSync } from 'node:fs';
import { systemError } from '../errors/orch-error.js';

/** The fields of /proc/<pid>/stat that orch uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  /** one letter: R, S, D, Z (zombie), X (dead), T, t, … */
  state: string;
  /** field 22: clock ticks after boot; with the pid it names one process for good */
  startTime: number;
}

/**
 * Parses /proc/<pid>/stat. comm (field 2) is in parentheses and may itself hold spaces and ')',
 * so the fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`malformed /proc stat line: ${text.slice(0, 80)}`);
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state), so field N is rest[N - 3]
  const state = rest[0];
  const startTime = Number(rest[22 - 3]);
  if (state === undefined || !Number.isSafeInteger(startTime)) {
    throw new Error(`malformed /proc stat line: ${text.slice(0, 80)}`);
  }
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), state, startTime };
}

/** The process' stat, or null when there is no such process (any more). */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw systemError(`read /proc/${pid}/stat`, err);
  }
  return parseProcStat(text);
}

/** The start time of a process that must exist (e.g. the init that just reported its pid). */
export function readProcessStartTime(pid: number): number {
  const stat = readProcStat(pid);
  if (stat === null) throw systemError(`read /proc/${pid}/stat`, Object.assign(new Error('no such process'), { code: 'ESRCH' }));
  return stat.startTime;
}
