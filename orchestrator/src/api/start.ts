import { releaseExecFifo } from '../bootstrap/exec-fifo.js';
import { StateStore } from '../state/state-store.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { runPoststartHooks } from '../hooks/poststart.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import { readForChange } from '../lifecycle/operation.js';
import type { RuntimeOptions } from './options.js';

/** `start`: let a created container's init through the exec fifo, so it execs the process. */
export async function startContainer(opts: RuntimeOptions & { id: string }): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  await store.withLock(opts.id, async () => {
    const record = await readForChange(store, opts.id);
    requireStatus('start', containerStatus(record, store), opts.id);
    await releaseExecFifo(store.fifoPath(opts.id), { pid: record.initPid, startTime: record.initStartTime });
    await runPoststartHooks(record, opts.hookEnv ?? {});
  });
}
