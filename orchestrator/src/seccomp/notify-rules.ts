import { OrchError } from '../errors/orch-error.js';
import type { Seccomp, Spec } from '../config/spec-types.js';

/**
 * The filter of this spec has SCMP_ACT_NOTIFY rules, so the init will create a listener fd and
 * someone must hand it to the agent at linux.seccomp.listenerPath (runc's rule: only then does it
 * connect). Returns the profile, or undefined when no agent is involved.
 */
export function notifyProfile(spec: Spec): Seccomp | undefined {
  const seccomp = spec.linux?.seccomp;
  if (!seccomp) return undefined;
  const notifies = (seccomp.syscalls ?? []).some((rule) => rule.action === 'SCMP_ACT_NOTIFY' && (rule.names ?? []).length > 0);
  if (!notifies) return undefined;
  if (!seccomp.listenerPath) {
    throw new OrchError('invalid-config', 'config.json: linux.seccomp.listenerPath: must be set when a rule uses SCMP_ACT_NOTIFY (seccomp listenerPath is not set)');
  }
  return seccomp;
}
