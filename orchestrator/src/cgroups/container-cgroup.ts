import { readFileSync } from 'node:fs';
import type { Spec } from '../config/spec-types.js';
import { systemError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';
import { logger } from '../log/logger.js';
import { cgroupfsDriver } from './cgroupfs.js';
import { cgroupDriver, type CgroupDriver } from './driver.js';
import { readCgroupLayout } from './hierarchy.js';
import { computePlacement } from './placement.js';
import { checkPreexistingCgroup } from './preexisting.js';
import { parseProcCgroup } from './proc-cgroup.js';
import { narrowToWritable } from './rootless.js';
import { SystemdDriver } from './systemd/systemd-driver.js';

/**
 * A container's cgroup from create to delete, whichever driver places it: cgroupfs (the default)
 * or systemd (--systemd-cgroup), and its resctrl group (linux.intelRdt), which lives and dies
 * with it. The lifecycle uses these; the drivers do the work.
 */
export interface ContainerCgroup {
  driver: CgroupDriver;
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

/** Where the container's cgroup goes on this host (the cgroupfs driver). Reads the host's layout; creates nothing. */
export function planCgroup(spec: Spec, id: string): CgroupPlacement {
  let self: string;
  try {
    self = readFileSync('/proc/self/cgroup', 'utf8');
  } catch (err) {
    throw systemError('read /proc/self/cgroup', err);
  }
  return computePlacement({ layout: readCgroupLayout(), self: parseProcCgroup(self), cgroupsPath: spec.linux?.cgroupsPath, id });
}

/**
 * cgroupfs: the cgroup is made and limited before any process joins, so limits hold from the
 * first instruction. systemd: everything is checked now, and the unit is made with the first
 * process in it (a scope cannot exist empty). resctrl first: a host without it refuses the
 * config before any cgroup exists.
 */
export async function setUpContainerCgroup(spec: Spec, id: string, options: SetUpOptions): Promise<ContainerCgroup> {
  const intelRdt = spec.linux?.intelRdt;
  if (!intelRdt) return setUpCgroup(spec, id, options);
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
  cgroup.driver.placement.intelRdt = rdt;
  return {
    driver: cgroup.driver,
    join: async (pid) => {
      joinRdtGroup(rdt, pid);
      await cgroup.join(pid);
    },
    release: () => cgroup.release(),
  };
}

async function setUpCgroup(spec: Spec, id: string, options: SetUpOptions): Promise<ContainerCgroup> {
  const deviceNodes = spec.linux?.devices ?? [];
  const resources = spec.linux?.resources ?? {};
  let driver: CgroupDriver;
  if (options.systemd) {
    driver = await SystemdDriver.prepare(spec, id, { rootless: options.rootless, deviceNodes });
    options.onPlanned?.(driver.placement);
  } else {
    const planned = planCgroup(spec, id);
    checkPreexistingCgroup(planned, options.warn ?? ((message) => logger().warn(message)));
    const fs = cgroupfsDriver(planned);
    fs.noteMissingParents();
    options.onPlanned?.(fs.placement);
    // rootless (runc's rule): hierarchies the user cannot write are left out, device rules too
    driver = options.rootless && !spec.linux?.cgroupsPath ? narrowToWritable(fs) : fs;
  }
  await driver.create(resources, { deviceNodes, skipDevices: options.rootless });
  return { driver, join: (pid) => driver.join(pid), release: () => driver.release() };
}

/** Kills what is left in the cgroup and removes it (and the systemd unit), then the resctrl group: the one cleanup for every driver. */
export async function removeContainerCgroup(p: CgroupPlacement): Promise<void> {
  await cgroupDriver(p).destroy();
  if (p.intelRdt) {
    const { removeRdtGroup } = await import('../intelrdt/rdt-group.js');
    removeRdtGroup(p.intelRdt);
  }
}
