import { posix } from 'node:path';
import { OrchError } from '../errors/orch-error.js';
import { CONFIG_FILE } from '../config/config-error.js';
import { validateConfig } from '../config/load-config.js';
import type { Process, Spec } from '../config/spec-types.js';

/**
 * The spec the exec'd process runs under: the container's, with `process` in place of its own
 * (seccomp, the keyring, personality stay the container's, as with runc). The process is checked
 * as runc's validateProcessSpec does, then against the schema and the semantic rules (an SELinux
 * label on a host without SELinux is refused there); `source` names it in messages
 * (a --process file, or "process" for one built from flags).
 */
export function execSpec(container: Spec, process: unknown, source: string): Spec {
  if (typeof process !== 'object' || process === null || Array.isArray(process)) {
    throw new OrchError('invalid-argument', `${source}: process property must not be empty`);
  }
  // an absent user is uid 0, gid 0 (validateConfig fills it in, as runc's Go decoder leaves it)
  const candidate: Record<string, unknown> = { ...(process as Record<string, unknown>) };
  const cwd = candidate['cwd'];
  if (cwd === undefined || cwd === '') throw new OrchError('invalid-argument', 'Cwd property must not be empty');
  if (typeof cwd === 'string' && !posix.isAbsolute(cwd)) throw new OrchError('invalid-argument', 'Cwd must be an absolute path');
  const args = candidate['args'];
  if (!Array.isArray(args) || args.length === 0) throw new OrchError('invalid-argument', 'args must not be empty');
  try {
    // Only the process is new: the container's own fields passed at create. Its linux section
    // stays for the rules that relate the two (rootless needs a user namespace…), without the
    // paths of namespaces it joined then: one may be gone by now without affecting it.
    const linux = container.linux && { ...container.linux, namespaces: container.linux.namespaces?.map(({ type }) => ({ type })) };
    validateConfig({ ociVersion: container.ociVersion, root: container.root, process: candidate, ...(linux ? { linux } : {}) }, { warn: () => undefined });
  } catch (err) {
    if (!(err instanceof OrchError)) throw err;
    // "config.json: process.args[0]: …" names the wrong file for a process.json
    throw new OrchError(err.code, err.message.replace(`${CONFIG_FILE}: `, `${source}: `), { cause: err });
  }
  return { ...container, process: candidate as Process };
}
