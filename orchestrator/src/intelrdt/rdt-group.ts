import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError, systemError } from '../errors/orch-error.js';
import type { Spec } from '../config/spec-types.js';
import { findResctrl, type Resctrl } from './resctrl.js';

type IntelRdt = NonNullable<NonNullable<Spec['linux']>['intelRdt']>;

/** A container's place in resctrl: its control group, and its monitoring group when asked for. */
export interface RdtPlacement {
  /** the CTRL_MON group: <root>/<closID or container id> */
  group: string;
  /** orch made the group (a named closID that existed is shared, and stays) */
  created: boolean;
  /** <group>/mon_groups/<container id> with enableMonitoring */
  monitor?: string;
}

const AT = 'config.json: linux.intelRdt';

/**
 * Makes the container's resctrl group as runc's intelrdt manager does: the group is the closID
 * (shared when it exists already) or the container id; its schemata get l3CacheSchema,
 * memBwSchema and the schemata lines; enableMonitoring adds a monitoring group for the container.
 * `resctrl` is the host's by default; a host without it is refused, naming the field.
 */
export function createRdtGroup(
  intelRdt: IntelRdt,
  id: string,
  resctrl: Resctrl | undefined = findResctrl(),
  onPlanned?: (placement: RdtPlacement) => void,
): RdtPlacement {
  const closID = intelRdt.closID ?? '';
  if (closID === '.' || closID === '..' || closID.includes('/')) throw new OrchError('invalid-config', `${AT}.closID: invalid closID ${JSON.stringify(closID)}`);
  if (!resctrl) throw new OrchError('unsupported', `${AT}: Intel RDT is not supported or enabled on this host (no resctrl filesystem is mounted)`);
  if (intelRdt.l3CacheSchema && !resctrl.cat) throw new OrchError('unsupported', `${AT}.l3CacheSchema: set, but Intel RDT/CAT is not enabled on this host`);
  if (intelRdt.memBwSchema && !resctrl.mba) throw new OrchError('unsupported', `${AT}.memBwSchema: set, but Intel RDT/MBA is not enabled on this host`);
  if (intelRdt.enableMonitoring && !resctrl.monitoring) throw new OrchError('unsupported', `${AT}.enableMonitoring: set, but resctrl monitoring is not enabled on this host`);

  const group = join(resctrl.root, closID || id);
  const created = !existsSync(group);
  const placement: RdtPlacement = { group, created, ...(intelRdt.enableMonitoring ? { monitor: join(group, 'mon_groups', id) } : {}) };
  onPlanned?.(placement);
  try {
    if (created) mkdirSync(group);
    writeSchemata(placement, intelRdt);
    if (placement.monitor) {
      // the kernel makes mon_groups with the group; recursive for a tree that is not the kernel's
      mkdirSync(placement.monitor, { recursive: true });
    }
  } catch (err) {
    try {
      removeRdtGroup(placement);
    } catch {
      // the first error is the one to report
    }
    throw err instanceof OrchError ? err : systemError(`${AT}: make ${group}`, err);
  }
  return placement;
}

/** l3CacheSchema, memBwSchema and the schemata lines into the group's schemata (create, update). */
export function writeSchemata(placement: RdtPlacement, intelRdt: IntelRdt): void {
  const lines = [intelRdt.l3CacheSchema, intelRdt.memBwSchema, ...(intelRdt.schemata ?? [])].filter((line): line is string => !!line);
  if (lines.length > 0) write(join(placement.group, 'schemata'), `${lines.join('\n')}\n`, `${AT}: schemata`);
}

/** Moves pid (and so the children it makes) into the group, or its monitoring group. */
export function joinRdtGroup(placement: RdtPlacement, pid: number): void {
  write(join(placement.monitor ?? placement.group, 'tasks'), String(pid), `${AT}: join pid ${pid}`);
}

/** Removes what orch made: the monitoring group, and the control group unless it was shared. */
export function removeRdtGroup(placement: RdtPlacement): void {
  for (const dir of [placement.monitor, placement.created ? placement.group : undefined]) {
    if (dir === undefined) continue;
    try {
      rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(`${AT}: remove ${dir}`, err);
    }
  }
}

function write(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw systemError(`${what}: write ${file}`, err);
  }
}
