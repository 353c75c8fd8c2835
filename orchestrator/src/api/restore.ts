import { closeSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OrchError, systemError } from '../errors/orch-error.js';
import { loadConfig } from '../config/load-config.js';
import type { Spec } from '../config/spec-types.js';
import { criuConfigArgs } from '../criu/criu-config.js';
import { criuFailure } from '../criu/criu-log.js';
import { criuVersion, networkLockArgs } from '../criu/criu-binary.js';
import { emptyNsArgs, flag, manageCgroupsArgs } from '../criu/criu-flags.js';
import { inheritFdArgs } from '../criu/descriptors.js';
import { restoreNamespaceArgs } from '../criu/external-namespaces.js';
import { restoreMountArgs } from '../criu/external-mounts.js';
import { restoreWithHelper, type RestoredInit } from '../criu/restore-helper.js';
import { prepareRestoreMountpoints } from '../criu/restore-mountpoints.js';
import { destroyContainer, recordRemains } from '../lifecycle/destroy.js';
import { provision } from '../lifecycle/provision.js';
import { logger } from '../log/logger.js';
import { processRef } from '../state/intent.js';
import type { ContainerRecord } from '../state/container-record.js';
import { validateContainerId } from '../state/container-id.js';
import { writePidFile } from '../state/pid-file.js';
import { readProcStat } from '../state/process-start-time.js';
import { StateStore } from '../state/state-store.js';
import type { CriuCommonOptions } from './checkpoint.js';
import type { ForegroundOptions, RuntimeOptions } from './options.js';

/** `restore`'s options (runc's restore flags): the new container and the images it comes from. */
export interface RestoreOptions extends RuntimeOptions, CriuCommonOptions, ForegroundOptions {
  /** the id of the restored container: any free one, not necessarily the checkpointed one's */
  id: string;
  /** the bundle whose config.json and rootfs the container is restored into */
  bundle: string;
  /** return once restored instead of waiting for the container to exit */
  detach?: boolean;
  pidFile?: string;
  /** LSM profile to restore with, TYPE:NAME */
  lsmProfile?: string;
  lsmMountContext?: string;
}

const RESTORE_LOG = 'restore.log';

/**
 * `restore`: criu brings a checkpointed process tree back as a new container with the given id,
 * in the bundle's rootfs and a new cgroup. Detached it returns 0 once the container runs;
 * otherwise it waits (forwarding signals with opts.forwardSignals), returns the container's exit status (128+N for signal
 * N) and deletes it, as `run` does. Create's hooks are not run again (see the report of issue 7).
 */
export async function restoreContainer(opts: RestoreOptions): Promise<number> {
  validateContainerId(opts.id);
  const bundle = resolve(opts.bundle);
  const spec = loadConfig(bundle);
  let rootfs: string;
  try {
    rootfs = realpathSync(resolve(bundle, spec.root?.path ?? 'rootfs'));
  } catch (err) {
    throw systemError(`config.json: root.path: ${resolve(bundle, spec.root?.path ?? 'rootfs')}`, err);
  }
  const version = criuVersion(opts.criu);
  if ((opts.lsmProfile || opts.lsmMountContext) && version < 31600) {
    throw new OrchError('unsupported', `--${opts.lsmProfile ? 'lsm-profile' : 'lsm-mount-context'} requires at least CRIU 3.16`);
  }
  const store = new StateStore(opts.root);
  const { record, restored } = await store.withLock(opts.id, () => restoreLocked(opts, store, spec, bundle, rootfs));
  if (opts.detach) return 0;

  const forwarder = opts.forwardSignals?.();
  forwarder?.forwardTo(restored.pid);
  try {
    return (await restored.exited).status;
  } finally {
    forwarder?.stop();
    // as run's end: the status is the answer; what cannot be removed stays, for `orch delete`
    await destroyContainer(store, recordRemains(record, opts.hookEnv)).catch((err: unknown) => logger().warn(`delete ${opts.id}: ${err instanceof Error ? err.message : String(err)}`));
  }
}

async function restoreLocked(opts: RestoreOptions, store: StateStore, spec: Spec, bundle: string, rootfs: string): Promise<{ record: ContainerRecord; restored: RestoredInit }> {
  const annotations = (spec.annotations ?? {}) as Record<string, string>;
  const fds: number[] = [];
  try {
    return await provision({
      store,
      id: opts.id,
      spec,
      bundle,
      rootfs,
      hookEnv: opts.hookEnv ?? {},
      cgroup: { systemd: opts.systemdCgroup ?? false, rootless: false },
      launch: async (cgroup, note) => {
        prepareRestoreMountpoints(spec, rootfs);
        // criu wants its --root to be a mount point whose parent is not overmounted: the helper
        // binds the rootfs here, in a mount namespace of its own.
        const criuRoot = join(store.dir(opts.id), 'criu-root');
        const pidFile = join(store.dir(opts.id), 'criu.pid');
        mkdirSync(criuRoot, { mode: 0o755 });
        if (opts.workPath) mkdirSync(opts.workPath, { recursive: true, mode: 0o700 });
        const namespaces = restoreNamespaceArgs(spec, 3);
        for (const path of namespaces.files) fds.push(openSync(path, 'r'));
        const criuArgs = [
          'restore',
          '--images-dir', opts.imagePath,
          ...(opts.workPath ? ['--work-dir', opts.workPath] : []),
          '--log-file', RESTORE_LOG,
          '-v4',
          '--root', criuRoot,
          '--restore-detached',
          '--pidfile', pidFile,
          '--evasive-devices',
          ...manageCgroupsArgs(opts.manageCgroupsMode),
          // the tasks' cgroups are put back under the new container's (runc's CgRoot)
          ...cgroup.driver.criuRootArgs(),
          ...networkLockArgs(),
          ...criuConfigArgs(annotations),
          ...emptyNsArgs(opts.emptyNs),
          ...namespaces.args,
          ...restoreMountArgs(spec),
          ...inheritFdArgs(opts.imagePath),
          ...flag(opts.shellJob, '--shell-job'),
          ...flag(opts.tcpEstablished, '--tcp-established'),
          ...flag(opts.extUnixSk, '--ext-unix-sk'),
          ...flag(opts.fileLocks, '--file-locks'),
          ...flag(opts.autoDedup, '--auto-dedup'),
          ...flag(opts.lazyPages, '--lazy-pages'),
          ...(opts.lsmProfile ? ['--lsm-profile', opts.lsmProfile] : []),
          ...(opts.lsmMountContext ? ['--lsm-mount-context', opts.lsmMountContext] : []),
        ];
        try {
          const restored = await restoreWithHelper({
            criuArgs,
            ...(opts.criu ? { criuBinary: opts.criu } : {}),
            rootfs,
            criuRoot,
            pidFile,
            foreground: !opts.detach,
            extraFds: fds,
            // criu and what it restores start in the new cgroup
            beforeRestore: (pid) => {
              const helper = processRef(pid);
              if (helper) note({ helper });
              return cgroup.join(pid);
            },
          });
          return {
            ...restored,
            abandon: async () => {
              try {
                process.kill(restored.pid, 'SIGKILL');
              } catch {
                // gone already
              }
              restored.kill();
              await restored.exited;
            },
          };
        } catch (err) {
          if (err instanceof OrchError && err.code === 'init-failed') throw criuFailure('restore', err.message, opts.workPath || opts.imagePath, RESTORE_LOG);
          throw err;
        }
      },
      complete: (restored, newRecord) => {
        // The restored process runs from criu's end on: it may have exited (and, in the
        // foreground, been reaped by the helper) already. 0 matches no live process: stopped.
        const record = newRecord(readProcStat(restored.pid)?.startTime ?? 0);
        store.write(record);
        if (opts.pidFile) writePidFile(opts.pidFile, restored.pid);
        return Promise.resolve({ record, restored });
      },
    });
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}
