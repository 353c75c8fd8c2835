import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELATIVE = 'build/native/orch-init';

/**
 * Finds the C init helper: $ORCH_INIT_HELPER, else build/native/orch-init in the package that holds
 * this module (the bundle lives in dist/, the tsc output in build/orchestrator/src/..., so walk up).
 */
export function helperPath(): string {
  const fromEnv = process.env['ORCH_INIT_HELPER'];
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`init helper not found: build it with npm run build (looked for ${RELATIVE} above ${fileURLToPath(import.meta.url)})`);
}
