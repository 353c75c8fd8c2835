import invariant from 'tiny-invariant';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { OrchError, systemError } from '../../errors/orch-error.js';
import type { LinuxDevice, LinuxResources, Spec } from '../../config/spec-types.js';
import { logger } from '../../log/logger.js';
import type { CgroupPlacement } from '../../state/container-record.js';
import { cgroupfsDriver } from '../cgroupfs.js';
import { containerDeviceRules } from '../devices/container-rules.js';
import { readCgroupLayout } from '../hierarchy.js';
import { computePlacement } from '../placement.js';
import { parseProcCgroup } from '../proc-cgroup.js';
import { checkMemoryUsageV2 } from '../v2/memory.js';
import { annotationProperties } from './annotation-properties.js';
import { Variant } from './dbus/wire.js';
import { deviceProperties } from './device-properties.js';
import { resourceProperties } from './resource-properties.js';
import { SystemdManager, type UnitProperty } from './systemd-manager.js';
import { systemdRunning } from './systemd-running.js';
import { systemdUnit } from './unit-path.js';

/**
 * The systemd cgroup driver (--systemd-cgroup), as runc's: the container's cgroup is a transient
 * unit (a scope in a slice, delegated) that systemd makes with the first process in it, with the
 * resources it can express as unit properties; then, as runc does, the same resources are written
 * to cgroupfs (what systemd cannot express, and v1 hierarchies systemd does not manage).
 */

export interface PreparedUnit {
  placement: CgroupPlacement;
  /** starts the unit with pid in it, joins pid everywhere else and writes the resources */
  start(pid: number): Promise<void>;
  /** closes the D-Bus connection */
  close(): void;
}

export interface PrepareOptions {
  rootless: boolean;
  deviceNodes: readonly LinuxDevice[];
}

/**
 * Checks everything that can be checked before a process exists (the path's format, systemd
 * itself, every property), so a bad config fails before anything is made.
 */
export async function prepareSystemdUnit(spec: Spec, id: string, options: PrepareOptions): Promise<PreparedUnit> {
  const unit = systemdUnit(spec.linux?.cgroupsPath, id, options.rootless);
  if (!systemdRunning()) throw new OrchError('unsupported', 'systemd not running on this host, cannot use systemd cgroups manager');
  const layout = readCgroupLayout();
  const resources = spec.linux?.resources ?? {};
  if (layout.version === 1) {
    if (options.rootless) throw new OrchError('unsupported', 'cannot use rootless systemd cgroups manager on cgroup v1');
    if (resources.unified !== undefined) throw new OrchError('invalid-config', 'invalid configuration: cannot use unified on cgroup v1');
  }
  const extra = annotationProperties(spec.annotations as Record<string, string> | undefined);
  const manager = await SystemdManager.connect(options.rootless);
  try {
    const sdVersion = await manager.version();
    // a user manager's units live under its own cgroup (user@1000.service/…)
    const base = options.rootless ? await manager.controlGroup() : '/';
    const placement = computePlacement({ layout, self: ownCgroups(), cgroupsPath: posix.join(base, unit.cgroup), id });
    placement.systemd = { unit: unit.unit, slice: unit.slice, rootless: options.rootless };
    const converted = resourceProperties(layout.version, resources, sdVersion);
    const devices = options.rootless ? [] : deviceProperties(containerDeviceRules(resources.devices, options.deviceNodes), sdVersion);
    const isSlice = unit.unit.endsWith('.slice');
    const properties: UnitProperty[] = [
      ['Description', new Variant('s', `orch container ${unit.name}`)],
      // a slice hangs off its parent by Wants=; a scope sits in Slice= and gets the subtree delegated
      ...(isSlice ? [['Wants', new Variant('as', [unit.slice])] as UnitProperty] : [['Slice', new Variant('s', unit.slice)] as UnitProperty, ['Delegate', new Variant('b', true)] as UnitProperty]),
      ['MemoryAccounting', new Variant('b', true)],
      ['CPUAccounting', new Variant('b', true)],
      [layout.version === 1 ? 'BlockIOAccounting' : 'IOAccounting', new Variant('b', true)],
      ['TasksAccounting', new Variant('b', true)],
      // no ordering against shutdown.target: the container's life is the engine's business
      ['DefaultDependencies', new Variant('b', false)],
      ...devices,
      ...converted.properties,
      ...extra,
    ];
    return {
      placement,
      close: () => manager.close(),
      start: async (pid) => {
        // a scope is born with its processes; a slice holds none of its own, the pid joins by cgroupfs
        await manager.startTransientUnit(unit.unit, isSlice ? properties : [...properties, ['PIDs', new Variant('au', [pid])]]);
        try {
          const fs = cgroupfsDriver(placement);
          fs.createDirs();
          await fs.join(pid);
          fs.apply(converted.resources, { deviceNodes: options.deviceNodes, skipDevices: options.rootless });
        } catch (err) {
          await manager.stopUnit(unit.unit).catch(() => undefined);
          throw err;
        }
      },
    };
  } catch (err) {
    manager.close();
    throw err;
  }
}

/**
 * Delete: what is left in the cgroup is killed, the unit stopped (a scope whose processes are gone
 * has stopped already) and forgotten if failed, then the cgroupfs dirs systemd does not own go.
 * Without systemd (gone since create) the dirs are removed all the same, with a warning.
 */
export async function destroySystemdUnit(p: CgroupPlacement): Promise<void> {
  const sd = p.systemd;
  invariant(sd, 'not a systemd cgroup');
  const fs = cgroupfsDriver(p);
  fs.empty();
  let manager: SystemdManager | undefined;
  try {
    manager = await SystemdManager.connect(sd.rootless);
    await manager.stopUnit(sd.unit);
  } catch (err) {
    logger().warn(`stop unit ${sd.unit}: ${err instanceof Error ? err.message : String(err)}; removing its cgroup directly`);
  } finally {
    manager?.close();
  }
  fs.removeDirs();
}

/**
 * Update: the unit's properties (runtime), then cgroupfs. Device rules stay as they are, as with
 * the cgroupfs driver.
 */
export async function updateSystemdUnit(p: CgroupPlacement, resources: LinuxResources): Promise<void> {
  const sd = p.systemd;
  invariant(sd, 'not a systemd cgroup');
  // before systemd lowers MemoryMax: past the usage it would OOM-kill at once
  const dir = p.paths[''];
  if (p.version === 2 && dir !== undefined && resources.memory !== undefined) checkMemoryUsageV2(dir, resources.memory);
  const manager = await SystemdManager.connect(sd.rootless);
  try {
    const converted = resourceProperties(p.version, resources, await manager.version());
    await manager.setUnitProperties(sd.unit, converted.properties);
    cgroupfsDriver(p).apply(converted.resources, { skipDevices: true });
  } finally {
    manager.close();
  }
}

function ownCgroups(): ReturnType<typeof parseProcCgroup> {
  try {
    return parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8'));
  } catch (err) {
    throw systemError('read /proc/self/cgroup', err);
  }
}
