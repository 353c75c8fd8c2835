import { runContainer } from '../../api/run.js';
import { OrchError } from '../../errors/orch-error.js';
import type { FlagTable } from '../args.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';
import { CREATE_FLAGS, createOptionsFrom } from '../create-flags.js';
import { withFailedPrefix } from '../failed-prefix.js';

const RUN_FLAGS = {
  ...CREATE_FLAGS,
  detach: { kind: 'bool', alias: 'd', usage: 'return once the process runs instead of waiting for it' },
  tty: { kind: 'bool', alias: 't', usage: 'give the process a terminal, as process.terminal: true (an orch extension)' },
  keep: { kind: 'bool', usage: 'keep the container after it exits (not supported yet)' },
  'no-subreaper': { kind: 'bool', usage: 'do not reap orphaned processes (not supported yet)' },
} as const satisfies FlagTable;

export const command = defineCommand({
  name: 'run',
  summary: 'create and start a container',
  argsUsage: '<container-id>',
  description:
    'Creates a container from the bundle and starts it. Without --detach, orch waits for the process,\n' +
    'forwards the signals it receives to it, deletes the container and exits with its status.',
  flags: RUN_FLAGS,
  run: async (ctx, flags, args) => {
    exactArgs('run', args, 1);
    if (flags.keep) throw new OrchError('unsupported', '--keep is not supported yet');
    if (flags['no-subreaper']) throw new OrchError('unsupported', '--no-subreaper is not supported yet');
    const opts = { ...createOptionsFrom(ctx, flags, args[0] as string), detach: flags.detach, ...(flags.tty ? { terminal: true } : {}) };
    return withFailedPrefix('run', () => runContainer(opts));
  },
});
