import { constants } from 'node:os';
import { OrchError } from '../errors/orch-error.js';

/** glibc reserves 32 and 33 for itself, so a program's SIGRTMIN is 34 (as moby/sys/signal assumes). */
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

const NAMED: Readonly<Record<string, number>> = constants.signals;

/**
 * runc's parseSignal: a decimal number as is, else a name, case-insensitive, with or without "SIG".
 * Beyond runc: RTMIN, RTMIN+n, RTMAX-n, RTMAX; and numbers outside 0..SIGRTMAX are refused here
 * rather than by kill(2).
 */
export function parseSignal(raw: string | number): number {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 0 && raw <= SIGRTMAX) return raw;
    throw unknownSignal(String(raw));
  }
  if (/^[+-]?\d+$/.test(raw)) {
    const n = Number(raw);
    if (n >= 0 && n <= SIGRTMAX) return n;
    throw unknownSignal(raw);
  }
  const upper = raw.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const realtime = realtimeSignal(name);
  if (realtime !== undefined) return realtime;
  const n = Object.hasOwn(NAMED, name) ? NAMED[name] : undefined;
  if (n === undefined) throw unknownSignal(raw);
  return n;
}

/** "SIGTERM" for 15, "SIGRTMIN+2" for 36; the number as text when it has no name. */
export function signalName(n: number): string {
  if (n >= SIGRTMIN && n <= SIGRTMAX) {
    if (n === SIGRTMIN) return 'SIGRTMIN';
    if (n === SIGRTMAX) return 'SIGRTMAX';
    return `SIGRTMIN+${n - SIGRTMIN}`;
  }
  for (const [name, value] of Object.entries(NAMED)) {
    // SIGIOT and SIGPOLL are aliases that sort after their better-known names
    if (value === n && name !== 'SIGIOT' && name !== 'SIGPOLL') return name;
  }
  return String(n);
}

function realtimeSignal(name: string): number | undefined {
  const m = /^SIGRT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name);
  if (!m) return undefined;
  const base = m[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
  const offset = m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '-' ? -1 : 1);
  // RTMIN counts up and RTMAX counts down, as in signal(7)
  if ((m[1] === 'MIN' && offset < 0) || (m[1] === 'MAX' && offset > 0)) return undefined;
  const n = base + offset;
  return n >= SIGRTMIN && n <= SIGRTMAX ? n : undefined;
}

function unknownSignal(raw: string): OrchError {
  return new OrchError('invalid-argument', `unknown signal ${JSON.stringify(raw)}`);
}
