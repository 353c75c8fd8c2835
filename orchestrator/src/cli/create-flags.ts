import { resolve } from 'node:path';
import type { CreateOptions } from '../api/options.js';
import { OrchError } from '../errors/orch-error.js';
import { listenFdsCount } from '../console/socket-activation.js';
import type { FlagTable, FlagValues } from './args.js';
import type { CommandContext } from './command.js';

/** The flags `create` and `run` share, named as runc names them. */
export const CREATE_FLAGS = {
  bundle: { kind: 'string', alias: 'b', usage: 'bundle directory (holds config.json)', defaultText: 'the current directory' },
  'console-socket': { kind: 'string', usage: "AF_UNIX socket to receive the master end of the container's pseudo-terminal" },
  'pidfd-socket': { kind: 'string', usage: "AF_UNIX socket to receive a pidfd of the container's init" },
  'pid-file': { kind: 'string', usage: "file to write the init's pid to" },
  'no-pivot': { kind: 'bool', usage: 'use chroot-like MS_MOVE instead of pivot_root (for a rootfs on a ramdisk)' },
  'no-new-keyring': { kind: 'bool', usage: "keep the caller's session keyring instead of making a new one" },
  'preserve-fds': { kind: 'int', usage: 'pass N more file descriptors (3 .. 3+N-1) to the container', defaultText: '0' },
} as const satisfies FlagTable;

export function createOptionsFrom(ctx: CommandContext, flags: FlagValues<typeof CREATE_FLAGS>, id: string): CreateOptions {
  const preserveFds = flags['preserve-fds'] ?? 0;
  if (preserveFds < 0) throw new OrchError('invalid-argument', `invalid value "${preserveFds}" for flag -preserve-fds: must not be negative`);
  const cwd = ctx.io.cwd();
  return {
    ...ctx.runtime,
    id,
    // runc chdirs into the bundle; relative paths are taken from where orch was started
    bundle: resolve(cwd, flags.bundle ?? '.'),
    ...(flags['pid-file'] ? { pidFile: resolve(cwd, flags['pid-file']) } : {}),
    ...(flags['console-socket'] ? { consoleSocket: resolve(cwd, flags['console-socket']) } : {}),
    ...(flags['pidfd-socket'] ? { pidfdSocket: resolve(cwd, flags['pidfd-socket']) } : {}),
    noPivot: flags['no-pivot'],
    noNewKeyring: flags['no-new-keyring'],
    preserveFds,
    listenFds: listenFdsCount(process.env, process.pid),
  };
}
