import { OrchError } from '../errors/orch-error.js';

/** Commands whose flags orch accepts but whose work belongs to a later version. */
export function notImplemented(command: string): OrchError {
  return new OrchError('unsupported', `${command}: not implemented in this version of orch`);
}
