import { OrchError } from '../errors/orch-error.js';

/**
 * runc prefixes what goes wrong while creating ("runc create failed: …", "runc run failed: …"); so
 * does orch, keeping the error's code for callers that branch on it.
 */
export async function withFailedPrefix<T>(command: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof OrchError ? err.code : 'system';
    throw new OrchError(code, `orch ${command} failed: ${message}`, { cause: err });
  }
}
