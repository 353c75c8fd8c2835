import type { ContainerRecord } from '../state/container-record.js';
import { hookState } from './hook-state.js';
import { runHooksWarning } from './run-hooks.js';
import type { HookEnv } from './run-hook.js';

/** poststop hooks, once the container is deleted: status "stopped", no pid; failures only warn. */
export function runPoststopHooks(record: Pick<ContainerRecord, 'id' | 'bundle' | 'annotations' | 'config'>, hookEnv: HookEnv): Promise<void> {
  return runHooksWarning(record.config, 'poststop', hookState(record, 'stopped'), record.bundle, hookEnv);
}
