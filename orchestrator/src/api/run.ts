import { createContainer } from './create.js';
import { startContainer } from './start.js';
import { releaseExecFifo } from '../bootstrap/exec-fifo.js';
import { StateStore } from '../state/state-store.js';
import { deleteContainer } from './delete.js';
import { runPoststartHooks } from '../hooks/poststart.js';
import { destroyContainer, recordRemains } from '../lifecycle/destroy.js';
import { logger } from '../log/logger.js';
import type { RunOptions } from './options.js';

/**
 * `run`: create + start. Detached, it returns 0 once the process runs. In the foreground the
 * helper's stage-0 stays the init's parent and exits with its status, which is returned here
 * (128+N for signal N); with opts.forwardSignals, signals are forwarded to the init meanwhile, and the
 * container is deleted once it has exited, as `runc run` does without --keep. With keep, it stays
 * (stopped) for `delete`, which then removes its cgroup and runs the poststop hooks.
 */
export async function runContainer(opts: RunOptions): Promise<number> {
  if (opts.detach) {
    await createContainer(opts);
    try {
      await startContainer(opts);
    } catch (err) {
      // as runc's run: a container that failed to start is destroyed (poststop hooks included),
      // unless --keep
      if (!opts.keep) await deleteContainer({ ...opts, force: true }).catch(() => undefined);
      throw err;
    }
    return 0;
  }
  const store = new StateStore(opts.root);
  const { record, init } = await createContainer(opts, { foreground: true, ...(opts.noSubreaper ? { noSubreaper: true } : {}) });
  const forwarder = opts.forwardSignals?.();
  forwarder?.forwardTo(init.pid);
  try {
    await releaseExecFifo(store.fifoPath(opts.id), { pid: record.initPid, startTime: record.initStartTime });
    await runPoststartHooks(record, opts.hookEnv ?? {});
    const { status } = await init.exited;
    await init.logFlushed();
    return status;
  } finally {
    forwarder?.stop();
    init.channel.close();
    // --keep: it stays, stopped, for `orch delete`
    if (!opts.keep) {
      // The status is the answer; a cleanup failure must not replace it (what could not be
      // removed keeps its state dir, for `orch delete`).
      await destroyContainer(store, recordRemains(record, opts.hookEnv)).catch((err: unknown) => logger().warn(`delete ${opts.id}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}
