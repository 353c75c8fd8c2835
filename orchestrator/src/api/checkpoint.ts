import { mkdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { OrchError, systemError } from '../errors/orch-error.js';
import { cgroupDriver } from '../cgroups/driver.js';
import { destroyContainer, recordRemains } from '../lifecycle/destroy.js';
import { readForChange, recordedOperation } from '../lifecycle/operation.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import type { ContainerRecord } from '../state/container-record.js';
import { criuConfigArgs } from '../criu/criu-config.js';
import { criuFailure } from '../criu/criu-log.js';
import { criuVersion, networkLockArgs, runCriu } from '../criu/criu-binary.js';
import { saveDescriptors } from '../criu/descriptors.js';
import { externalNamespaceArgs } from '../criu/external-namespaces.js';
import { dumpMountArgs } from '../criu/external-mounts.js';
import { emptyNsArgs, flag, manageCgroupsArgs } from '../criu/criu-flags.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/** The criu options `checkpoint` and `restore` share, named as runc's flags. */
export interface CriuCommonOptions {
  /** where the images go (checkpoint) or come from (restore) */
  imagePath: string;
  /** criu's work dir: its log goes there; default the image dir */
  workPath?: string;
  tcpEstablished?: boolean;
  extUnixSk?: boolean;
  shellJob?: boolean;
  fileLocks?: boolean;
  /** soft (default), full, strict or ignore */
  manageCgroupsMode?: string;
  /** namespaces to create empty instead of restoring: "network" only (it always is, as with runc) */
  emptyNs?: string[];
  autoDedup?: boolean;
  lazyPages?: boolean;
}

/** `checkpoint`'s options (runc's checkpoint flags): where the images go and what criu may do. */
export interface CheckpointOptions extends RuntimeOptions, CriuCommonOptions {
  id: string;
  /** a previous pre-dump, relative to imagePath */
  parentPath?: string;
  leaveRunning?: boolean;
  tcpSkipInFlight?: boolean;
  linkRemap?: boolean;
  /** --pre-dump: memory only, the container keeps running */
  preDump?: boolean;
  /** ADDRESS:PORT of a criu page server */
  pageServer?: string;
  /** with lazyPages: the fd criu writes \0 to once the lazy pages are ready */
  statusFd?: number;
}

const DUMP_LOG = 'dump.log';

/**
 * `checkpoint`: criu dumps the running (or paused) container's process tree into imagePath.
 * Unless leaveRunning or preDump, criu stops it and the container is then deleted as `delete`
 * does (poststop hooks included), as runc does; `restore` brings it back, under any id.
 */
export async function checkpointContainer(opts: CheckpointOptions): Promise<void> {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  // under the lock, as runc: no delete, update or pause meanwhile
  await store.withLock(opts.id, async () => {
    const record = await readForChange(store, opts.id);
    requireStatus('checkpoint', containerStatus(record, store), opts.id);
    criuVersion(opts.criu);
    await recordedOperation(store, record, 'checkpoint', (child) => dump(opts, record, child));
    // the dumped tasks are gone: the container is deleted as `delete` does (poststop included)
    if (!opts.leaveRunning && !opts.preDump) await destroyContainer(store, recordRemains(record, opts.hookEnv));
  });
}

async function dump(opts: CheckpointOptions, record: ContainerRecord, child: (pid: number) => void): Promise<void> {

  makeDir(opts.imagePath);
  if (opts.parentPath !== undefined) checkParent(opts.imagePath, opts.parentPath);
  if (opts.workPath) makeDir(opts.workPath);
  const args = [
    opts.preDump ? 'pre-dump' : 'dump',
    '--tree', String(record.initPid),
    '--images-dir', opts.imagePath,
    ...(opts.workPath ? ['--work-dir', opts.workPath] : []),
    '--log-file', DUMP_LOG,
    '-v4',
    '--root', record.rootfs,
    ...manageCgroupsArgs(opts.manageCgroupsMode),
    ...freezeArgs(cgroupDriver(record.cgroup).criuFreezeCgroup()),
    ...networkLockArgs(),
    ...criuConfigArgs(record.annotations),
    ...externalNamespaceArgs(record.config),
    ...emptyNsArgs(opts.emptyNs),
    ...flag(opts.shellJob, '--shell-job'),
    ...flag(opts.leaveRunning, '--leave-running'),
    ...flag(opts.tcpEstablished, '--tcp-established'),
    ...flag(opts.tcpSkipInFlight, '--skip-in-flight'),
    ...flag(opts.linkRemap, '--link-remap'),
    ...flag(opts.extUnixSk, '--ext-unix-sk'),
    ...flag(opts.fileLocks, '--file-locks'),
    ...flag(opts.autoDedup, '--auto-dedup'),
    ...flag(opts.lazyPages, '--lazy-pages'),
    ...(opts.lazyPages && opts.statusFd !== undefined && opts.statusFd >= 0 ? ['--status-fd', String(opts.statusFd)] : []),
    ...pageServerArgs(opts.pageServer),
    ...(opts.parentPath ? ['--prev-images-dir', opts.parentPath, '--track-mem'] : opts.preDump ? ['--track-mem'] : []),
  ];
  if (!opts.preDump) {
    args.push(...dumpMountArgs(record.config, record.initPid));
    saveDescriptors(opts.imagePath, record.initPid);
  }
  const exit = await runCriu(opts.criu ?? 'criu', args, ['ignore', 'inherit', 'inherit', ...(opts.statusFd !== undefined && opts.statusFd >= 0 ? [opts.statusFd] : [])], child);
  if (exit !== 0) throw criuFailure(opts.preDump ? 'pre-dump' : 'dump', `exit status ${exit}`, opts.workPath || opts.imagePath, DUMP_LOG);
}

/** criu stops the tasks with the container's freezer cgroup, not ptrace, where there is one. */
function freezeArgs(dir: string | undefined): string[] {
  return dir ? ['--freeze-cgroup', dir] : [];
}

function pageServerArgs(address: string | undefined): string[] {
  if (!address) return [];
  const m = /^(.+):(\d+)$/.exec(address);
  if (!m || m[1] === '' || m[1] === '[]') throw new OrchError('invalid-argument', 'Use --page-server ADDRESS:PORT to specify page server');
  return ['--page-server', '--address', (m[1] as string).replace(/^\[(.*)\]$/, '$1'), '--port', m[2] as string];
}

function makeDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw systemError(`create ${path}`, err);
  }
}

function checkParent(imagePath: string, parentPath: string): void {
  if (isAbsolute(parentPath)) throw new OrchError('invalid-argument', '--parent-path must be relative');
  const real = join(imagePath, parentPath);
  try {
    if (!statSync(real).isDirectory()) throw new OrchError('invalid-argument', `invalid --parent-path: ${real}: not a directory`);
  } catch (err) {
    if (err instanceof OrchError) throw err;
    throw systemError(`invalid --parent-path: ${real}`, err);
  }
}
