import { OrchError } from '../errors/orch-error.js';
import { releaseExecFifo } from '../bootstrap/exec-fifo.js';
import { StateStore } from '../state/state-store.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { runPoststartHooks } from '../hooks/poststart.js';
import type { RuntimeOptions } from './options.js';

/** `start`: let a created container's init through the exec fifo, so it execs the process. */
export async function startContainer(opts: RuntimeOptions & { id: string }): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  await store.withLock(opts.id, async () => {
    const record = store.read(opts.id);
    const status = containerStatus(record, store);
    switch (status) {
      case 'created':
        releaseExecFifo(store.fifoPath(opts.id));
        await runPoststartHooks(record);
        return;
      case 'stopped':
        throw new OrchError('bad-state', 'cannot start a container that has stopped');
      case 'running':
        throw new OrchError('bad-state', 'cannot start an already running container');
      default:
        throw new OrchError('bad-state', `cannot start a container in the ${status} state`);
    }
  });
}
