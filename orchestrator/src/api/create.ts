import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { SYNC } from '../protocol/protocol.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import { loadConfig } from '../config/load-config.js';
import { launchInit, type LaunchedInit } from '../bootstrap/launch-init.js';
import type { InitConfig } from '../bootstrap/init-config.js';
import type { ContainerRecord } from '../state/container-record.js';
import { StateStore } from '../state/state-store.js';
import { readProcessStartTime } from '../state/process-start-time.js';
import { validateContainerId } from '../state/container-id.js';
import { planCgroup, createCgroup, joinCgroup, destroyCgroup } from '../cgroups/cgroup-manager.js';
import { writePidFile } from '../state/pid-file.js';
import { createdNow } from '../state/created-time.js';
import type { Spec } from '../config/spec-types.js';
import type { CreateOptions } from './options.js';

/** A created container whose init is blocked on the exec fifo. */
export interface CreatedContainer {
  record: ContainerRecord;
  init: LaunchedInit;
}

/**
 * `create`: validate the bundle, claim the id, make the cgroup, start the init helper inside it and
 * take it through the sync protocol until the init blocks on the exec fifo. On any failure nothing
 * is left behind: no process, cgroup, state dir (mounts live in the container's mount namespace and
 * die with it).
 */
export async function createContainer(opts: CreateOptions, mode: { foreground: boolean } = { foreground: false }): Promise<CreatedContainer> {
  validateContainerId(opts.id);
  const bundle = resolve(opts.bundle);
  const spec = loadConfig(bundle);
  if (!spec.process) throw new OrchError('invalid-config', 'config.json: process: is required to create a container');
  const rootfsPath = resolve(bundle, spec.root?.path ?? 'rootfs');
  let rootfs: string;
  try {
    rootfs = realpathSync(rootfsPath);
  } catch (err) {
    throw systemError(`config.json: root.path: ${rootfsPath}`, err);
  }
  if (spec.process.terminal && !opts.consoleSocket && !mode.foreground) {
    throw new OrchError('invalid-argument', 'cannot allocate tty if runc will detach without setting console socket');
  }
  if (spec.process.terminal) throw new OrchError('unsupported', 'process.terminal: terminals are not supported yet');
  if (opts.consoleSocket) throw new OrchError('unsupported', '--console-socket: terminals are not supported yet');

  const store = new StateStore(opts.root);
  // Held until the init blocks on the fifo: a concurrent delete/start of this id waits for it.
  return store.withLock(opts.id, () => createLocked(opts, store, spec, bundle, rootfs, mode.foreground));
}

async function createLocked(opts: CreateOptions, store: StateStore, spec: Spec, bundle: string, rootfs: string, foreground: boolean): Promise<CreatedContainer> {
  store.claim(opts.id);
  // Undo steps, run last-first when create fails.
  const cleanups: Array<() => void | Promise<void>> = [() => store.remove(opts.id)];
  const cleanUp = async (): Promise<void> => {
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch {
        // best effort: report the original error, not the cleanup's
      }
    }
  };

  try {
    const cgroup = planCgroup(spec, opts.id, { systemd: opts.systemdCgroup ?? false });
    createCgroup(cgroup);
    cleanups.push(() => destroyCgroup(cgroup)); // kills what is left in it first

    const config: InitConfig = {
      type: 'standard',
      id: opts.id,
      bundle,
      rootfs,
      fifoPath: store.fifoPath(opts.id),
      foreground,
      noPivot: opts.noPivot ?? false,
      noNewKeyring: opts.noNewKeyring ?? false,
      preserveFds: opts.preserveFds ?? 0,
      spec,
    };
    const init = await launchInit({
      config,
      rootlessEuid: process.geteuid?.() !== 0,
      beforeBootstrap: (helperPid) => joinCgroup(cgroup, helperPid),
    });
    cleanups.push(async () => {
      try {
        process.kill(init.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      init.helper.kill('SIGKILL');
      await init.exited;
    });

    await init.channel.expect(SYNC.procReady, 'it set up the container');
    const record: ContainerRecord = {
      ociVersion: String(spec.ociVersion),
      id: opts.id,
      initPid: init.pid,
      initStartTime: readProcessStartTime(init.pid),
      bundle,
      rootfs,
      created: createdNow(),
      owner: '',
      annotations: (spec.annotations ?? {}) as Record<string, string>,
      cgroup,
      config: spec,
    };
    store.write(record);
    init.channel.send({ type: SYNC.procRun });
    await init.channel.expectEnd('the init to block on the exec fifo');
    if (opts.pidFile) writePidFile(opts.pidFile, init.pid);
    return { record, init };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
