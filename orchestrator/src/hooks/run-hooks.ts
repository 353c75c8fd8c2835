import { existsSync } from 'node:fs';
import { OrchError } from '../errors/orch-error.js';
import type { HookName, Spec } from '../config/spec-types.js';
import { logger } from '../log/logger.js';
import type { HookState } from './hook-state.js';
import { runHook, type HookEnv } from './run-hook.js';

/** The hooks of `name` in the spec, in order. */
export function hooksOf(spec: Spec, name: HookName): NonNullable<NonNullable<Spec['hooks']>[HookName]> {
  return spec.hooks?.[name] ?? [];
}

/**
 * Runs the `name` hooks one after the other (runtime-spec: in the listed order); the first
 * failure stops them and is thrown as runc words it: "<name>: error running hook #<i>: <why>".
 * They run in the runtime namespace, from the bundle directory (where runc has chdir'd).
 */
export async function runHooks(spec: Spec, name: HookName, state: HookState, cwd: string | undefined, hookEnv: HookEnv): Promise<void> {
  for (const [index, hook] of hooksOf(spec, name).entries()) {
    try {
      await runHook(hook, state, usableDir(cwd), hookEnv);
    } catch (err) {
      throw new OrchError('init-failed', `${name}: error running hook #${index}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * Hooks whose failure must not change the outcome (poststop, per runtime-spec): every one runs,
 * failures become warnings in the log.
 */
export async function runHooksWarning(spec: Spec, name: HookName, state: HookState, cwd: string | undefined, hookEnv: HookEnv): Promise<void> {
  for (const [index, hook] of hooksOf(spec, name).entries()) {
    try {
      await runHook(hook, state, usableDir(cwd), hookEnv);
    } catch (err) {
      logger().warn(`${name}: error running hook #${index}: ${(err as Error).message}`);
    }
  }
}

/** A bundle deleted meanwhile must not make every hook fail to start: ours then. */
function usableDir(dir: string | undefined): string | undefined {
  return dir !== undefined && existsSync(dir) ? dir : undefined;
}
