import { setUpContainerCgroup, type ContainerCgroup } from '../cgroups/container-cgroup.js';
import type { Spec } from '../config/spec-types.js';
import type { CgroupPlacement, ContainerRecord } from '../state/container-record.js';
import { createdNow } from '../state/created-time.js';
import { processRef, selfRef, type IntentRecord } from '../state/intent.js';
import type { StateStore } from '../state/state-store.js';
import { destroyContainer } from './destroy.js';
import type { HookEnv } from '../hooks/run-hook.js';

/** A container's first process as the caller started it: enough to know and to abandon it. */
export interface Launched {
  /** host pid of the container's init */
  pid: number;
  /** kills what the launch started (the helper) and waits for it */
  abandon(): Promise<void>;
}

export interface ProvisionRequest<L extends Launched, R> {
  store: StateStore;
  id: string;
  spec: Spec;
  bundle: string;
  rootfs: string;
  cgroup: { systemd: boolean; rootless: boolean };
  /** the environment of a hook whose spec gives none (poststop, when provisioning fails) */
  hookEnv: HookEnv;
  /** fields of the record beyond what every container has (create --no-new-keyring) */
  recordExtras?: Partial<ContainerRecord>;
  /**
   * Starts the first process; it must call cgroup.join(pid) before that process does anything,
   * and note(helper) once the helper's pid is known (recorded where no cgroup holds it).
   */
  launch(cgroup: ContainerCgroup, note: (more: Partial<IntentRecord>) => void): Promise<L>;
  /**
   * Takes the launched container to its end state, writing the record newRecord makes (given the
   * init's start time) to state.json on the way; any throw undoes everything.
   */
  complete(launched: L, newRecord: (initStartTime: number) => ContainerRecord): Promise<R>;
}

/**
 * The one provisioning skeleton, shared by create and restore: claim → cgroup → launch → record,
 * with an intent record written before each side effect (a process killed at any instruction
 * leaves a record `delete` cleans up from) and, on any failure, the one destroy: nothing is left.
 * The caller holds the id's lock.
 */
export async function provision<L extends Launched, R>(request: ProvisionRequest<L, R>): Promise<R> {
  const { store, id, spec, bundle } = request;
  let intent: IntentRecord = { id, ociVersion: String(spec.ociVersion), bundle, created: createdNow(), creator: selfRef() };
  store.claim(id, intent);
  const note = (more: Partial<IntentRecord>): void => {
    intent = { ...intent, ...more };
    store.writeIntent(intent);
  };
  const annotations = (spec.annotations ?? {}) as Record<string, string>;
  let placement: CgroupPlacement | undefined;
  let launched: L | undefined;
  try {
    const cgroup = await setUpContainerCgroup(spec, id, { ...request.cgroup, onPlanned: (planned) => note({ cgroup: planned }) });
    placement = cgroup.driver.placement;
    // Processes born in the cgroup are found (and killed) through it: noting them too would cost a
    // record rewrite each. Only a container without a cgroup of its own (rootless, no delegation)
    // needs its helper and init named. A helper killed before it joins exits at its socket's end.
    const inCgroup = Object.keys(placement.paths).length > 0;
    const noteProcess = (more: Partial<IntentRecord>): void => {
      if (!inCgroup) note(more);
    };
    try {
      launched = await request.launch(cgroup, noteProcess);
    } finally {
      cgroup.release();
    }
    const init = processRef(launched.pid);
    if (init) noteProcess({ init });
    const cgroupPlacement = placement;
    const pid = launched.pid;
    const newRecord = (initStartTime: number): ContainerRecord => ({
      ociVersion: String(spec.ociVersion),
      id,
      initPid: pid,
      initStartTime,
      bundle,
      rootfs: request.rootfs,
      created: createdNow(),
      owner: '',
      annotations,
      cgroup: cgroupPlacement,
      config: spec,
      ...request.recordExtras,
    });
    return await request.complete(launched, newRecord);
  } catch (err) {
    try {
      await launched?.abandon();
      // poststop last, as after a delete (runc's destroy)
      await destroyContainer(store, { id, processes: [intent.init, processRef(launched?.pid ?? 0)], ...(placement ? { cgroup: placement } : {}), hooks: { id, bundle, annotations, config: spec }, hookEnv: request.hookEnv });
    } catch {
      // report the original error; the intent record (or state.json) is left for `delete`
    }
    throw err;
  }
}
