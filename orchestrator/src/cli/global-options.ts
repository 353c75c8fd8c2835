import { OrchError } from '../errors/orch-error.js';
import type { LogFormat } from '../log/log-line.js';
import type { FlagTable, FlagValues } from './args.js';

export const DEFAULT_ROOT = '/run/orch';

/** runc's global flags. */
export const GLOBAL_FLAGS = {
  debug: { kind: 'bool', usage: 'write debug lines to the log' },
  log: { kind: 'string', usage: 'append log lines to this file instead of stderr' },
  'log-format': { kind: 'string', usage: "log line format: 'text' or 'json'", defaultText: 'text' },
  root: { kind: 'string', usage: 'directory holding container state (best on a tmpfs)', defaultText: DEFAULT_ROOT },
  criu: { kind: 'string', usage: 'criu binary for checkpoint/restore (a name is looked up on $PATH)', defaultText: 'criu' },
  'systemd-cgroup': { kind: 'bool', usage: 'place cgroups through systemd; cgroupsPath is "slice:prefix:name"' },
  rootless: { kind: 'string', usage: "ignore cgroup permission errors: 'true', 'false' or 'auto'", defaultText: 'auto' },
  help: { kind: 'bool', alias: 'h', usage: 'show help' },
  version: { kind: 'bool', alias: 'v', usage: 'print the version' },
} as const satisfies FlagTable;

export interface GlobalOptions {
  root: string;
  log?: string;
  logFormat: LogFormat;
  debug: boolean;
  systemdCgroup: boolean;
  /** undefined: auto */
  rootless?: boolean;
  criu: string;
}

export function globalOptions(flags: FlagValues<typeof GLOBAL_FLAGS>): GlobalOptions {
  const format = flags['log-format'] ?? 'text';
  // runc's message; "" counts as the default as it does in runc
  if (format !== 'text' && format !== 'json' && format !== '') throw new OrchError('invalid-argument', `invalid log-format: ${format}`);
  return {
    root: flags.root ?? DEFAULT_ROOT,
    ...(flags.log !== undefined && flags.log !== '' ? { log: flags.log } : {}),
    logFormat: format === 'json' ? 'json' : 'text',
    debug: flags.debug,
    systemdCgroup: flags['systemd-cgroup'],
    ...rootlessOption(flags.rootless),
    criu: flags.criu ?? 'criu',
  };
}

function rootlessOption(value: string | undefined): { rootless?: boolean } {
  if (value === undefined || value === '' || value.toLowerCase() === 'auto') return {};
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return { rootless: true };
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return { rootless: false };
  throw new OrchError('invalid-argument', `invalid value ${JSON.stringify(value)} for flag -rootless: want true, false or auto`);
}
