import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { SYNC } from '../protocol/protocol.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import { loadConfig } from '../config/load-config.js';
import { launchInit, type LaunchedInit } from '../bootstrap/launch-init.js';
import type { InitConfig } from '../bootstrap/init-config.js';
import type { ContainerRecord } from '../state/container-record.js';
import { processRef, selfRef, type IntentRecord } from '../state/intent.js';
import { StateStore } from '../state/state-store.js';
import { readProcessStartTime } from '../state/process-start-time.js';
import { validateContainerId } from '../state/container-id.js';
import { removeContainerCgroup, setUpContainerCgroup } from '../cgroups/container-cgroup.js';
import { notifyProfile } from '../seccomp/notify-rules.js';
import { connectAgent } from '../seccomp/agent-socket.js';
import { containerProcessState } from '../seccomp/process-state.js';
import { answerSeccompRequest } from '../seccomp/listener-handoff.js';
import { writePidFile } from '../state/pid-file.js';
import { createdNow } from '../state/created-time.js';
import type { Spec } from '../config/spec-types.js';
import { checkTerminal } from '../console/check-terminal.js';
import { applyCallerTerminalSize } from '../console/caller-terminal-size.js';
import { specWithListenFds } from '../console/socket-activation.js';
import { runCreateHooks } from '../hooks/create-hooks.js';
import { runPoststopHooks } from '../hooks/poststop.js';
import type { CreateOptions } from './options.js';

/** How `run` creates: in the foreground (stage-0 stays the init's parent), with or without adopting orphans. */
export interface CreateMode {
  foreground: boolean;
  /** run --no-subreaper */
  noSubreaper?: boolean;
}

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
export async function createContainer(opts: CreateOptions, mode: CreateMode = { foreground: false }): Promise<CreatedContainer> {
  validateContainerId(opts.id);
  const bundle = resolve(opts.bundle);
  // --no-pivot changes what is safe: runc refuses a private root propagation with it.
  const spec = loadConfig(bundle, { noPivot: opts.noPivot ?? false });
  if (!spec.process) throw new OrchError('invalid-config', 'config.json: process: is required to create a container');
  const rootfsPath = resolve(bundle, spec.root?.path ?? 'rootfs');
  let rootfs: string;
  try {
    rootfs = realpathSync(rootfsPath);
  } catch (err) {
    throw systemError(`config.json: root.path: ${rootfsPath}`, err);
  }
  if (opts.terminal) spec.process.terminal = true; // `run -t`
  checkTerminal(spec.process.terminal ?? false, opts.consoleSocket, !mode.foreground);
  applyCallerTerminalSize(spec.process, mode.foreground);

  const store = new StateStore(opts.root);
  // Held until the init blocks on the fifo: a concurrent delete/start of this id waits for it.
  return store.withLock(opts.id, () => createLocked(opts, store, spec, bundle, rootfs, mode));
}

async function createLocked(opts: CreateOptions, store: StateStore, spec: Spec, bundle: string, rootfs: string, mode: CreateMode): Promise<CreatedContainer> {
  const { foreground } = mode;
  // Before each side effect, what it is about to make: a create killed at any point leaves a
  // record that `delete` cleans up from (state.json replaces it once the container exists).
  let intent: IntentRecord = { id: opts.id, ociVersion: String(spec.ociVersion), bundle, created: createdNow(), creator: selfRef() };
  store.claim(opts.id, intent);
  const recordIntent = (more: Partial<IntentRecord>): void => {
    intent = { ...intent, ...more };
    store.writeIntent(intent);
  };
  const annotations = (spec.annotations ?? {}) as Record<string, string>;
  // Undo steps, run last-first when create fails; poststop last, as after a delete (runc's destroy).
  const cleanups: Array<() => void | Promise<void>> = [
    () => runPoststopHooks({ id: opts.id, bundle, annotations, config: spec }),
    () => store.remove(opts.id),
  ];
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
    const rootless = process.geteuid?.() !== 0;
    const setUp = await setUpContainerCgroup(spec, opts.id, {
      systemd: opts.systemdCgroup ?? false,
      rootless,
      onPlanned: (placement) => recordIntent({ cgroup: placement }),
    });
    const cgroup = setUp.placement;
    cleanups.push(() => removeContainerCgroup(cgroup)); // kills what is left in it first

    const config: InitConfig = {
      type: 'standard',
      id: opts.id,
      bundle,
      rootfs,
      fifoPath: store.fifoPath(opts.id),
      foreground,
      noPivot: opts.noPivot ?? false,
      noNewKeyring: opts.noNewKeyring ?? false,
      ...(mode.noSubreaper ? { noSubreaper: true } : {}),
      // socket-activation fds first (3..), then --preserve-fds, as runc numbers them
      preserveFds: (opts.listenFds ?? 0) + (opts.preserveFds ?? 0),
      ...(opts.consoleSocket ? { consoleSocket: opts.consoleSocket } : {}),
      ...(opts.pidfdSocket ? { pidfdSocket: opts.pidfdSocket } : {}),
      spec: specWithListenFds(spec, opts.listenFds ?? 0),
    };
    // SCMP_ACT_NOTIFY: connected now, from the host; the init sends the listener fd over it
    const notify = notifyProfile(spec);
    const seccompAgent = notify?.listenerPath ? await connectAgent(notify.listenerPath) : undefined;
    let init: LaunchedInit;
    try {
      init = await launchInit({
        config,
        rootlessEuid: rootless,
        beforeBootstrap: (helperPid) => {
          const helper = processRef(helperPid);
          if (helper) recordIntent({ helper });
          return setUp.join(helperPid);
        },
        ...(seccompAgent ? { seccompAgent } : {}),
      });
    } finally {
      seccompAgent?.destroy(); // the helper holds its own copy
      setUp.release();
    }
    const initRef = processRef(init.pid);
    if (initRef) recordIntent({ init: initRef });
    cleanups.push(async () => {
      try {
        process.kill(init.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      init.helper.kill('SIGKILL');
      await init.exited;
    });

    await runCreateHooks(init.channel, spec, { id: opts.id, bundle, annotations }, init.pid);
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
      annotations,
      cgroup,
      config: spec,
      ...(opts.noNewKeyring ? { noNewKeyring: true } : {}),
    };
    store.write(record);
    init.channel.send({ type: SYNC.procRun });
    if (notify) {
      const state = containerProcessState({ id: opts.id, pid: init.pid, bundle, annotations: record.annotations, metadata: notify.listenerMetadata });
      await answerSeccompRequest(init.channel, state);
    }
    await init.channel.expectEnd('the init to block on the exec fifo');
    // detached, stage-0 and the init have closed the log channel by now; in the foreground
    // stage-0 keeps it until the container exits (run flushes it then)
    if (!foreground) await init.logFlushed();
    if (opts.pidFile) writePidFile(opts.pidFile, init.pid);
    return { record, init };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
