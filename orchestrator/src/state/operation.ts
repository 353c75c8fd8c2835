import type { ProcessRef } from './intent.js';

/** The operations on an existing container that change it in steps a kill can interrupt. */
export type OperationKind = 'update' | 'pause' | 'checkpoint';

/**
 * <root>/<id>/operation.json: an operation in progress on an existing container, written before
 * its first side effect and removed after its last. One left by a process that is gone says the
 * container may be half changed, and how to put it back (lifecycle/recover.ts).
 */
export interface OperationRecord {
  kind: OperationKind;
  /** the orch process doing it */
  by: ProcessRef;
  /** whether the cgroup was frozen before (pause and checkpoint freeze it) */
  wasFrozen: boolean;
  /** a process the operation runs (criu for checkpoint), stopped if it outlived its caller */
  child?: ProcessRef;
}
