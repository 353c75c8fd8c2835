import { containerPids, containerPsTable } from '../../api/ps.js';
import { OrchError } from '../../errors/orch-error.js';
import { minArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'ps',
  summary: 'show the processes of a container',
  argsUsage: '<container-id> [ps options]',
  description:
    "Runs the host's ps with the given options (default -ef) and keeps the lines of the container's\n" +
    'processes; --format json prints their host pids as a JSON array instead.',
  flags: {
    format: { kind: 'string', alias: 'f', usage: "'table' or 'json'", defaultText: 'table' },
  },
  // options after the container id belong to ps
  mode: 'leading',
  run: async (ctx, flags, args) => {
    minArgs('ps', args, 1);
    const target = { ...ctx.runtime, id: args[0] as string };
    const pids = containerPids(target);
    switch (flags.format ?? 'table') {
      case 'table':
        break;
      case 'json':
        // Go's encoder: a nil slice is null
        ctx.io.stdout(`${pids.length === 0 ? 'null' : JSON.stringify(pids)}\n`);
        return 0;
      default:
        throw new OrchError('invalid-argument', 'invalid format option');
    }
    ctx.io.stdout(containerPsTable(target, args.slice(1)));
    return 0;
  },
});
