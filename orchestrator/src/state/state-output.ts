import type { ContainerRecord, ContainerStatus, StateOutput } from './container-record.js';
import { formatCreated } from './created-time.js';

/**
 * The record as `state` and `list` print it, in runc's field order (annotations before owner,
 * annotations only when there are some), pid 0 once stopped. `state` prints owner "" as runc does;
 * `list` fills in the state dir's owner.
 */
export function toStateOutput(record: ContainerRecord, status: ContainerStatus, owner = ''): StateOutput {
  const annotations = record.annotations ?? {};
  return {
    ociVersion: record.ociVersion,
    id: record.id,
    pid: status === 'stopped' ? 0 : record.initPid,
    status,
    bundle: record.bundle,
    rootfs: record.rootfs,
    created: formatCreated(record.created),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    owner,
  };
}
