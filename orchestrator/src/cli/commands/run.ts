import { runContainer } from '../../api/run.js';
import { startSignalForwarding } from '../forward-signals.js';
import { ownTerminalSize } from '../own-terminal-size.js';
import type { FlagTable } from '../args.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';
import { CREATE_FLAGS, createOptionsFrom } from '../create-flags.js';
import { withFailedPrefix } from '../failed-prefix.js';

const RUN_FLAGS = {
  ...CREATE_FLAGS,
  detach: { kind: 'bool', alias: 'd', usage: 'return once the process runs instead of waiting for it' },
  tty: { kind: 'bool', alias: 't', usage: 'give the process a terminal, as process.terminal: true (an orch extension)' },
  keep: { kind: 'bool', usage: 'keep the container (stopped) after its process exits, for `delete` to remove' },
  'no-subreaper': { kind: 'bool', usage: "do not adopt the container's orphaned processes (the caller's subreaper gets them)" },
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
    const terminalSize = ownTerminalSize();
    const opts = {
      ...createOptionsFrom(ctx, flags, args[0] as string),
      detach: flags.detach,
      ...(flags.tty ? { terminal: true } : {}),
      ...(flags.keep ? { keep: true } : {}),
      ...(flags['no-subreaper'] ? { noSubreaper: true } : {}),
      forwardSignals: startSignalForwarding,
      ...(terminalSize ? { consoleSize: terminalSize } : {}),
    };
    return withFailedPrefix('run', () => runContainer(opts));
  },
});
