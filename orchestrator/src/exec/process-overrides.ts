import { OrchError } from '../errors/orch-error.js';
import type { Process } from '../config/spec-types.js';

/** What `exec` flags change in the container's process (runc's getProcess without --process). */
export interface ProcessOverrides {
  /** the command and its arguments (required, non-empty) */
  args: string[];
  cwd?: string;
  /** appended to the container's env; a later KEY wins */
  env?: string[];
  /** process.terminal; false unless asked, whatever config.json says (as runc) */
  tty?: boolean;
  /** "uid[:gid]" */
  user?: string;
  additionalGids?: number[];
  /** added to the bounding, effective and permitted sets (ambient too when inheritable exists) */
  caps?: string[];
  /** set only when given */
  noNewPrivileges?: boolean;
  apparmorProfile?: string;
  selinuxLabel?: string;
}

/** The container's process with the overrides applied; `base` is left as it was. */
export function applyProcessOverrides(base: Process, o: ProcessOverrides): Process {
  if (o.args.length === 0) throw new OrchError('invalid-argument', 'exec args cannot be empty');
  const p: Process = structuredClone(base);
  p.args = [...o.args];
  if (o.cwd) p.cwd = o.cwd;
  if (o.apparmorProfile) p.apparmorProfile = o.apparmorProfile;
  if (o.selinuxLabel) p.selinuxLabel = o.selinuxLabel;
  if (o.caps && o.caps.length > 0) {
    const caps = (p.capabilities ??= {});
    const hadInheritable = caps.inheritable !== undefined;
    caps.bounding = [...(caps.bounding ?? []), ...o.caps];
    caps.effective = [...(caps.effective ?? []), ...o.caps];
    caps.permitted = [...(caps.permitted ?? []), ...o.caps];
    // The kernel keeps an ambient cap only if it is inheritable too, and --cap adds none.
    if (hadInheritable) caps.ambient = [...(caps.ambient ?? []), ...o.caps];
  }
  p.env = [...(p.env ?? []), ...(o.env ?? [])];
  p.terminal = o.tty ?? false;
  if (o.noNewPrivileges !== undefined) p.noNewPrivileges = o.noNewPrivileges;
  if (o.user) {
    const [uid, gid, extra] = o.user.split(':');
    if (extra !== undefined) throw new OrchError('invalid-argument', `bad user ${JSON.stringify(o.user)}: expected <uid>[:<gid>]`);
    if (gid !== undefined) p.user.gid = idNumber(gid, 'gid');
    p.user.uid = idNumber(uid ?? '', 'uid');
  }
  for (const gid of o.additionalGids ?? []) {
    if (gid < 0) throw new OrchError('invalid-argument', `additional-gids must be a positive number ${gid}`);
    (p.user.additionalGids ??= []).push(gid);
  }
  return p;
}

/** A numeric id as runc takes it (strconv.Atoi, then uint32): names are not looked up. */
function idNumber(text: string, what: 'uid' | 'gid'): number {
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new OrchError('invalid-argument', `bad ${what}: ${JSON.stringify(text)} is not a number`);
  return n;
}
