import type { LinuxResources, Spec } from '../config/spec-types.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { applyResources } from './apply-resources.js';
import { createCgroup, destroyCgroup, joinCgroup, planCgroup } from './cgroup-manager.js';
import { createCgroupRootless } from './rootless.js';
import { checkPreexistingCgroup } from './preexisting.js';
import { logger } from '../log/logger.js';

/**
 * A container's cgroup from create to delete, whichever driver places it: cgroupfs (the default)
 * or systemd (--systemd-cgroup, loaded only then). The API uses these; the drivers do the work.
 */
export interface ContainerCgroup {
  placement: CgroupPlacement;
  /** puts the first process (the init helper, before it does anything) in the cgroup */
  join(pid: number): Promise<void>;
  /** lets go of what the setup holds (systemd's D-Bus connection) */
  release(): void;
}

export interface SetUpOptions {
  /** --systemd-cgroup */
  systemd: boolean;
  rootless: boolean;
  /** runc's warnings (a cgroup that already holds processes); the log by default */
  warn?: (message: string) => void;
  /** told what is about to be made (cgroup, unit, resctrl group) before any of it is: the intent record */
  onPlanned?: (placement: CgroupPlacement) => void;
}

/**
 * cgroupfs: the cgroup is made and limited before any process joins, so limits hold from the
 * first instruction. systemd: everything is checked now, and the unit is made with the first
 * process in it (a scope cannot exist empty).
 */
export async function setUpContainerCgroup(spec: Spec, id: string, options: SetUpOptions): Promise<ContainerCgroup> {
  const intelRdt = spec.linux?.intelRdt;
  if (!intelRdt) return setUpCgroup(spec, id, options);
  // resctrl first: a host without it refuses the config before any cgroup exists
  const { createRdtGroup, joinRdtGroup, removeRdtGroup } = await import('../intelrdt/rdt-group.js');
  // recorded alone first (no cgroup is planned yet), then again with the cgroup's placement
  const rdt = createRdtGroup(intelRdt, id, undefined, (planned) => options.onPlanned?.({ version: 1, paths: {}, intelRdt: planned }));
  let cgroup: ContainerCgroup;
  try {
    cgroup = await setUpCgroup(spec, id, { ...options, onPlanned: (placement) => options.onPlanned?.({ ...placement, intelRdt: rdt }) });
  } catch (err) {
    removeRdtGroup(rdt);
    throw err;
  }
  cgroup.placement.intelRdt = rdt;
  return {
    placement: cgroup.placement,
    join: async (pid) => {
      joinRdtGroup(rdt, pid);
      await cgroup.join(pid);
    },
    release: () => cgroup.release(),
  };
}

async function setUpCgroup(spec: Spec, id: string, options: SetUpOptions): Promise<ContainerCgroup> {
  const deviceNodes = spec.linux?.devices ?? [];
  if (options.systemd) {
    const { prepareSystemdUnit } = await import('./systemd/systemd-cgroup.js');
    const unit = await prepareSystemdUnit(spec, id, { rootless: options.rootless, deviceNodes });
    options.onPlanned?.(unit.placement);
    return { placement: unit.placement, join: (pid) => unit.start(pid), release: () => unit.close() };
  }
  const planned = planCgroup(spec, id);
  // rootless (runc's rule): hierarchies the user cannot write are skipped, device rules too
  checkPreexistingCgroup(planned, options.warn ?? ((message) => logger().warn(message)));
  options.onPlanned?.(planned);
  const placement = options.rootless && !spec.linux?.cgroupsPath ? createCgroupRootless(planned) : planned;
  if (placement === planned) createCgroup(placement);
  try {
    applyResources(placement, spec.linux?.resources ?? {}, { deviceNodes, skipDevices: options.rootless });
  } catch (err) {
    destroyCgroup(placement);
    throw err;
  }
  return { placement, join: (pid) => Promise.resolve(joinCgroup(placement, pid)), release: () => undefined };
}

/** Kills what is left in the cgroup and removes it (and the systemd unit), then the resctrl group. */
export async function removeContainerCgroup(p: CgroupPlacement): Promise<void> {
  if (p.systemd !== undefined) {
    const { destroySystemdUnit } = await import('./systemd/systemd-cgroup.js');
    await destroySystemdUnit(p);
  } else {
    destroyCgroup(p);
  }
  if (p.intelRdt) {
    const { removeRdtGroup } = await import('../intelrdt/rdt-group.js');
    removeRdtGroup(p.intelRdt);
  }
}

/** Writes a container's new resources (device rules aside), through its driver. */
export async function updateContainerCgroup(p: CgroupPlacement, resources: LinuxResources): Promise<void> {
  if (p.systemd !== undefined) {
    const { updateSystemdUnit } = await import('./systemd/systemd-cgroup.js');
    await updateSystemdUnit(p, resources);
    return;
  }
  applyResources(p, resources, { skipDevices: true });
}
