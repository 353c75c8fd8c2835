import type { ContainerRecord } from '../state/container-record.js';
import { hookState } from './hook-state.js';
import { runHooks } from './run-hooks.js';
import type { HookEnv } from './run-hook.js';

/**
 * poststart hooks: the process runs, `start` has not returned yet. A failure fails `start` and
 * kills the container, as runc does and runtime-spec (since 1.1: "generate an error, stop the
 * container") asks; `delete` then cleans up as usual.
 */
export async function runPoststartHooks(record: ContainerRecord, hookEnv: HookEnv): Promise<void> {
  try {
    await runHooks(record.config, 'poststart', hookState(record, 'running', record.initPid), record.bundle, hookEnv);
  } catch (err) {
    try {
      process.kill(record.initPid, 'SIGKILL');
    } catch {
      // gone already
    }
    throw err;
  }
}
