import { OrchError } from '../errors/orch-error.js';
import type { ContainerStatus } from '../state/container-record.js';

/** The operations on an existing container whose status decides whether they may run. */
export type Operation = 'start' | 'delete' | 'exec' | 'kill' | 'pause' | 'resume' | 'update' | 'checkpoint';

/** delete --force, exec --ignore-paused: the flags that widen what a status allows */
export interface OperationFlags {
  force?: boolean;
  ignorePaused?: boolean;
}

interface Rule {
  allowed: readonly ContainerStatus[];
  /** what the flag adds */
  force?: readonly ContainerStatus[];
  ignorePaused?: readonly ContainerStatus[];
  /** runc's words for a refusal (clients such as CRI-O match on some of them) */
  refusal(status: ContainerStatus, id: string): string;
}

const ALL: readonly ContainerStatus[] = ['creating', 'created', 'running', 'paused', 'stopped'];

/** Which statuses each operation accepts, in one place. */
export const STATUS_RULES: Readonly<Record<Operation, Rule>> = {
  start: {
    allowed: ['created'],
    refusal: (status) =>
      status === 'stopped'
        ? 'cannot start a container that has stopped'
        : status === 'running'
          ? 'cannot start an already running container'
          : `cannot start a container in the ${status} state`,
  },
  // a created container is killed first; a half-made one ("stopped") is cleaned up from its intent
  delete: { allowed: ['created', 'stopped'], force: ALL, refusal: (status, id) => `cannot delete container ${id} that is not stopped: ${status}` },
  exec: {
    allowed: ['created', 'running'],
    ignorePaused: ['paused'],
    refusal: (status) => (status === 'paused' ? 'cannot exec in a paused container (use --ignore-paused to override)' : `cannot exec in a ${status} container`),
  },
  kill: { allowed: ['created', 'running', 'paused'], refusal: () => 'container not running' },
  pause: { allowed: ['created', 'running'], refusal: () => 'container not running' },
  resume: { allowed: ['paused'], refusal: () => 'container not paused' },
  update: { allowed: ['created', 'running', 'paused'], refusal: () => 'container not running' },
  checkpoint: { allowed: ['running', 'paused'], refusal: (status) => `Container cannot be checkpointed in ${status} state` },
};

export function allows(op: Operation, status: ContainerStatus, flags: OperationFlags = {}): boolean {
  const rule = STATUS_RULES[op];
  return (
    rule.allowed.includes(status) || (flags.force === true && (rule.force ?? []).includes(status)) || (flags.ignorePaused === true && (rule.ignorePaused ?? []).includes(status))
  );
}

/** Throws runc's error (code bad-state) unless op may run on a container in this status. */
export function requireStatus(op: Operation, status: ContainerStatus, id: string, flags: OperationFlags = {}): void {
  if (!allows(op, status, flags)) throw new OrchError('bad-state', STATUS_RULES[op].refusal(status, id));
}
