import { findResctrl, type Resctrl } from '../intelrdt/resctrl.js';
import type { ContainerRecord } from '../state/container-record.js';
import { cgroupDriver } from '../cgroups/driver.js';
import { readForChange, recordedOperation } from '../lifecycle/operation.js';
import { requireStatus } from '../lifecycle/status-rules.js';
import { mergeResourceUpdate } from '../cgroups/update-merge.js';
import { validateConfig } from '../config/load-config.js';
import type { LinuxResources } from '../config/spec-types.js';
import { OrchError } from '../errors/orch-error.js';
import { logger } from '../log/logger.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/** `update`'s options: the container and its new resources (runc's update flags). */
export interface UpdateOptions extends RuntimeOptions {
  id: string;
  /** what changes, as runc's update takes it (absent fields follow runc's rules, see update-merge.ts) */
  resources: LinuxResources;
  /** --l3-cache-schema / --mem-bw-schema (Intel RDT) */
  l3CacheSchema?: string;
  memBwSchema?: string;
}

/**
 * `update`: changes a created, running or paused container's limits live. The merged resources
 * are written whole (devices aside) and kept in its state, so later updates start from them. If
 * the kernel refuses a value, the previous resources are written back and the error is returned,
 * as runc does.
 */
export async function updateContainer(opts: UpdateOptions): Promise<void> {
  validateContainerId(opts.id);
  const resctrl = checkIntelRdt(opts);
  const store = new StateStore(opts.root);
  await store.withLock(opts.id, async () => {
    let record = await readForChange(store, opts.id);
    requireStatus('update', containerStatus(record, store), opts.id);
    if (opts.resources.memory?.kernel !== undefined || opts.resources.memory?.kernelTCP !== undefined) {
      logger().warn('Kernel memory settings are ignored and will be removed');
    }
    const previous = record.config.linux?.resources ?? {};
    const next = mergeResourceUpdate(previous, opts.resources);
    const cgroup = cgroupDriver(record.cgroup);
    await recordedOperation(store, record, 'update', async () => {
      try {
        await cgroup.update(next);
      } catch (err) {
        try {
          await cgroup.update(previous);
        } catch (restoreErr) {
          const message = restoreErr instanceof Error ? restoreErr.message : String(restoreErr);
          logger().warn(`Setting back cgroup configs failed due to error: ${message}, your state.json and actual configs might be inconsistent.`);
        }
        throw err;
      }
      if (resctrl) record = await updateIntelRdt(record, opts, resctrl);
      store.write({ ...record, config: { ...record.config, linux: { ...record.config.linux, resources: next } } });
    });
  });
}

/**
 * A LinuxResources JSON document (`update -r FILE`, `--resources=-`) checked against the OCI
 * schema, so a wrong type fails with its field named instead of reaching a cgroup file.
 */
export function parseResources(text: string, source: string): LinuxResources {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new OrchError('invalid-argument', `${source}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new OrchError('invalid-argument', `${source}: expected a JSON object of resources`);
  try {
    // the config validator knows linux.resources; a minimal config around it reuses it as is
    const spec = validateConfig({ ociVersion: '1.3.0', root: { path: 'rootfs' }, linux: { resources: data } }, { requireProcess: false, warn: () => undefined });
    return spec.linux?.resources ?? {};
  } catch (err) {
    if (!(err instanceof OrchError)) throw err;
    throw new OrchError('invalid-argument', err.message.replace(/^config\.json: linux\.resources\.?/, `${source}: `), { cause: err });
  }
}

/** runc's refusals for the RDT flags, before anything changes: the host must have what they set. */
function checkIntelRdt(opts: UpdateOptions): Resctrl | undefined {
  const l3 = opts.l3CacheSchema ?? '';
  const mb = opts.memBwSchema ?? '';
  if (l3 === '' && mb === '') return undefined;
  const resctrl = findResctrl();
  if (l3 !== '' && !resctrl?.cat) throw new OrchError('unsupported', 'Intel RDT/CAT: l3 cache schema is not enabled');
  if (mb !== '' && !resctrl?.mba) throw new OrchError('unsupported', 'Intel RDT/MBA: memory bandwidth schema is not enabled');
  return resctrl;
}

/**
 * runc's update of the RDT schemas: a container made without linux.intelRdt gets a group of its
 * own now (its init joins it), then the new schemas are written. Returns the record to keep.
 */
async function updateIntelRdt(record: ContainerRecord, opts: UpdateOptions, resctrl: Resctrl): Promise<ContainerRecord> {
  const { createRdtGroup, joinRdtGroup, writeSchemata } = await import('../intelrdt/rdt-group.js');
  const intelRdt = { ...record.config.linux?.intelRdt, l3CacheSchema: opts.l3CacheSchema ?? '', memBwSchema: opts.memBwSchema ?? '' };
  let placement = record.cgroup.intelRdt;
  if (!placement) {
    placement = createRdtGroup({}, record.id, resctrl);
    joinRdtGroup(placement, record.initPid);
  }
  writeSchemata(placement, intelRdt);
  return { ...record, cgroup: { ...record.cgroup, intelRdt: placement }, config: { ...record.config, linux: { ...record.config.linux, intelRdt } } };
}
