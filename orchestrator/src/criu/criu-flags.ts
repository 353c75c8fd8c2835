import { OrchError } from '../errors/orch-error.js';

/** criu arguments for the options `checkpoint` and `restore` share. */

/** --manage-cgroups-mode: criu's default is soft. */
export function manageCgroupsArgs(mode: string | undefined): string[] {
  if (mode === undefined || mode === '') return ['--manage-cgroups'];
  if (!['soft', 'full', 'strict', 'ignore'].includes(mode)) throw new OrchError('invalid-argument', 'invalid manage-cgroups-mode value');
  return [`--manage-cgroups=${mode}`];
}

/** runc always leaves the network namespace empty for whoever manages it; "network" may be named. */
export function emptyNsArgs(names: readonly string[] | undefined): string[] {
  for (const name of names ?? []) if (name !== 'network') throw new OrchError('invalid-argument', `namespace "${name}" is not supported`);
  return ['--empty-ns', 'net'];
}

/** name when the option is on. */
export function flag(on: boolean | undefined, name: string): string[] {
  return on ? [name] : [];
}

