import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { SYNC } from '../protocol/protocol.js';
import { OrchError, systemError } from '../errors/orch-error.js';
import { loadConfig, validateConfig } from '../config/load-config.js';
import { abandonInit, launchInit, type LaunchedInit } from '../bootstrap/launch-init.js';
import type { InitConfig } from '../bootstrap/init-config.js';
import type { ContainerRecord } from '../state/container-record.js';
import { processRef } from '../state/intent.js';
import { provision } from '../lifecycle/provision.js';
import { StateStore } from '../state/state-store.js';
import { readProcessStartTime } from '../state/process-start-time.js';
import { validateContainerId } from '../state/container-id.js';
import { notifyProfile } from '../seccomp/notify-rules.js';
import { connectAgent } from '../seccomp/agent-socket.js';
import { containerProcessState } from '../seccomp/process-state.js';
import { answerSeccompRequest } from '../seccomp/listener-handoff.js';
import { writePidFile } from '../state/pid-file.js';
import type { Spec } from '../config/spec-types.js';
import { checkTerminal } from '../console/check-terminal.js';
import { applyCallerTerminalSize } from '../console/caller-terminal-size.js';
import { specWithListenFds } from '../console/socket-activation.js';
import { runCreateHooks } from '../hooks/create-hooks.js';
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
  const spec = opts.config !== undefined ? validateConfig(structuredClone(opts.config), { noPivot: opts.noPivot ?? false }) : loadConfig(bundle, { noPivot: opts.noPivot ?? false });
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
  applyCallerTerminalSize(spec.process, mode.foreground, opts.consoleSize);

  const store = new StateStore(opts.root);
  // Held until the init blocks on the fifo: a concurrent delete/start of this id waits for it.
  return store.withLock(opts.id, () => createLocked(opts, store, spec, bundle, rootfs, mode));
}

async function createLocked(opts: CreateOptions, store: StateStore, spec: Spec, bundle: string, rootfs: string, mode: CreateMode): Promise<CreatedContainer> {
  const { foreground } = mode;
  const annotations = (spec.annotations ?? {}) as Record<string, string>;
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
  const notify = notifyProfile(spec);
  return provision({
    store,
    id: opts.id,
    spec,
    bundle,
    rootfs,
    hookEnv: opts.hookEnv ?? {},
    cgroup: { systemd: opts.systemdCgroup ?? false, rootless: process.geteuid?.() !== 0 },
    ...(opts.noNewKeyring ? { recordExtras: { noNewKeyring: true } } : {}),
    launch: async (cgroup, note) => {
      // SCMP_ACT_NOTIFY: connected now, from the host; the init sends the listener fd over it
      const seccompAgent = notify?.listenerPath ? await connectAgent(notify.listenerPath) : undefined;
      try {
        const init = await launchInit({
          config,
          rootlessEuid: process.geteuid?.() !== 0,
          ...(opts.stdio ? { stdio: opts.stdio } : {}),
          ...(opts.resizable ? { resizable: true } : {}),
          beforeBootstrap: (helperPid) => {
            const helper = processRef(helperPid);
            if (helper) note({ helper });
            return cgroup.join(helperPid);
          },
          ...(seccompAgent ? { seccompAgent } : {}),
        });
        return { ...init, abandon: () => abandonInit(init) };
      } finally {
        seccompAgent?.destroy(); // the helper holds its own copy
      }
    },
    complete: async (init, newRecord) => {
      await runCreateHooks(init.channel, spec, { id: opts.id, bundle, annotations }, init.pid, opts.hookEnv ?? {});
      await init.channel.expect(SYNC.procReady, 'it set up the container');
      const record = newRecord(readProcessStartTime(init.pid));
      store.write(record);
      init.channel.send(SYNC.procRun);
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
    },
  });
}
