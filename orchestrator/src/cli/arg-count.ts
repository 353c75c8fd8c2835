import { OrchError } from '../errors/orch-error.js';

// runc's checkArgs wording, with orch's name where runc prints os.Args[0].

export function exactArgs(command: string, args: readonly string[], n: number): void {
  if (args.length !== n) throw countError(command, 'exactly', n);
}

export function minArgs(command: string, args: readonly string[], n: number): void {
  if (args.length < n) throw countError(command, 'a minimum of', n);
}

export function maxArgs(command: string, args: readonly string[], n: number): void {
  if (args.length > n) throw countError(command, 'a maximum of', n);
}

function countError(command: string, how: string, n: number): OrchError {
  return new OrchError('invalid-argument', `orch: ${JSON.stringify(command)} requires ${how} ${n} argument(s)`);
}
