import { OrchError } from '../errors/orch-error.js';

/**
 * runc's checkTerminal: a detached container with a terminal needs someone to take the pty
 * master (--console-socket), and a console socket is only used by a detached container with a
 * terminal. runc's exact words: clients match them.
 */
export function checkTerminal(terminal: boolean, consoleSocket: string | undefined, detach: boolean): void {
  if (detach && terminal && !consoleSocket) {
    throw new OrchError('invalid-argument', 'cannot allocate tty if runc will detach without setting console socket');
  }
  if ((!detach || !terminal) && consoleSocket) {
    throw new OrchError('invalid-argument', 'cannot use console socket if runc will not detach or allocate tty');
  }
}
