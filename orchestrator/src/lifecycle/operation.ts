import { cgroupDriver } from '../cgroups/driver.js';
import { logger } from '../log/logger.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isAlive, processRef, selfRef } from '../state/intent.js';
import type { OperationKind, OperationRecord } from '../state/operation.js';
import type { StateStore } from '../state/state-store.js';
import { killRemains } from './destroy.js';

/**
 * Runs an operation that changes an existing container in steps (update, pause, checkpoint) with a
 * record of it on disk for its whole length, so that if this process is killed half-way the next
 * operation on the container puts it back (recoverInterrupted). The caller holds the id's lock.
 * fn may name a process it runs (criu), to be stopped if it outlives a killed caller.
 */
export async function recordedOperation<T>(store: StateStore, record: ContainerRecord, kind: OperationKind, fn: (child: (pid: number) => void) => Promise<T>): Promise<T> {
  const operation: OperationRecord = { kind, by: selfRef(), wasFrozen: cgroupDriver(record.cgroup).isFrozen() };
  store.writeOperation(record.id, operation);
  try {
    return await fn((pid) => {
      const child = processRef(pid);
      if (child) store.writeOperation(record.id, { ...operation, child });
    });
  } finally {
    store.clearOperation(record.id);
  }
}

/**
 * Puts back a container that an operation killed half-way left changed: its leftover child (criu)
 * is killed, the resources in state.json are written again (an update may have written some of the
 * new ones, and state.json keeps the old until it completes), and a freeze the operation began is
 * undone (v1 may be stuck FREEZING). The caller holds the id's lock; an operation of a live
 * process is not interrupted, it is running (or, in this process, was abandoned mid-way).
 */
export async function recoverInterrupted(store: StateStore, record: ContainerRecord): Promise<void> {
  const operation = store.readOperation(record.id);
  if (!operation) return;
  if (isAlive(operation.by) && operation.by.pid !== process.pid) return;
  // a criu still at work on the container (its cgroup is not the container's to kill)
  await killRemains({ id: record.id, processes: [operation.child] }).catch((err: unknown) => logger().warn(err instanceof Error ? err.message : String(err)));
  const cgroup = cgroupDriver(record.cgroup);
  if (cgroup.exists()) {
    if (operation.kind === 'update') await cgroup.update(record.config.linux?.resources ?? {});
    if (!operation.wasFrozen) cgroup.thaw();
  }
  store.clearOperation(record.id);
  logger().warn(`container ${record.id}: an interrupted ${operation.kind} (orch pid ${operation.by.pid}) was undone`);
}

/** The container's record, read under its lock, with an interrupted operation put back first. */
export async function readForChange(store: StateStore, id: string): Promise<ContainerRecord> {
  const record = store.read(id);
  await recoverInterrupted(store, record);
  return record;
}
