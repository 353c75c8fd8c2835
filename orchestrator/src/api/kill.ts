import { constants } from 'node:os';
import { cgroupDriver } from '../cgroups/driver.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import { parseSignal } from '../signals/signal-name.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

export interface KillOptions extends RuntimeOptions {
  id: string;
  /** a number, or a name with or without SIG in any case; default SIGTERM */
  signal?: string | number;
  /** signal every process in the container's cgroup, not just the init */
  all?: boolean;
}

/**
 * `kill`, with runc's rules: a created, running or paused container's init can be signalled; a
 * stopped one cannot ("container not running", a phrase CRI-O matches), except with --all, which
 * signals what is left in the cgroup. Takes no lock: the init is named by pid *and* start time,
 * so a reused pid is never signalled, and kill must not wait behind a slow delete.
 */
export async function killContainer(opts: KillOptions): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  const record = store.read(opts.id);
  const signal = parseSignal(opts.signal ?? 'SIGTERM');
  const status = containerStatus(record, store);
  const cgroup = cgroupDriver(record.cgroup);

  if (opts.all) {
    if (status === 'stopped' && !cgroup.exists()) return;
    cgroup.kill(signal);
    return;
  }
  requireStatus('kill', status, opts.id);
  try {
    process.kill(record.initPid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') {
      throw new OrchError('bad-state', 'unable to signal init: no such process', { cause: err });
    }
    throw systemError('unable to signal init', err);
  }
  // a frozen v1 task does not act on SIGKILL until thawed
  if (status === 'paused' && signal === constants.signals.SIGKILL) cgroup.thaw();
}
