import { listContainers } from '../../api/list.js';
import { OrchError } from '../../errors/orch-error.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';
import { formatListJson, formatListTable } from '../list-table.js';

export const command = defineCommand({
  name: 'list',
  summary: 'list the containers under --root',
  argsUsage: '',
  flags: {
    format: { kind: 'string', alias: 'f', usage: "'table' or 'json'", defaultText: 'table' },
    quiet: { kind: 'bool', alias: 'q', usage: 'print the container ids only' },
  },
  run: async (ctx, flags, args) => {
    exactArgs('list', args, 0);
    const states = listContainers(ctx.runtime);
    // as runc: --quiet wins over --format, which is checked only when used
    if (flags.quiet) {
      ctx.io.stdout(states.map((s) => `${s.id}\n`).join(''));
      return 0;
    }
    switch (flags.format ?? 'table') {
      case 'table':
        ctx.io.stdout(formatListTable(states));
        return 0;
      case 'json':
        ctx.io.stdout(formatListJson(states));
        return 0;
      default:
        throw new OrchError('invalid-argument', 'invalid format option');
    }
  },
});
