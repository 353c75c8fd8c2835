import { connect, type Socket } from 'node:net';
import { systemError } from '../errors/orch-error.js';

/**
 * Connects to the seccomp agent's unix socket from the host, with orch's own credentials and
 * mount namespace (where runc connects too). The connected socket is handed to the init helper,
 * which sends the listener fd over it: Node itself cannot pass fds (SCM_RIGHTS).
 */
export function connectAgent(listenerPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: listenerPath });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      // The helper owns the conversation: this side never reads, and must not pause the stream.
      socket.pause();
      resolve(socket);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(systemError(`failed to connect with seccomp agent specified in the seccomp profile: ${listenerPath}`, err));
    });
  });
}
