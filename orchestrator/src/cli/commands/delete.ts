import { deleteContainer } from '../../api/delete.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'delete',
  summary: 'delete a container and everything it holds',
  argsUsage: '<container-id>',
  description: 'A created or stopped container is deleted as is; a running or paused one needs --force.',
  flags: {
    force: { kind: 'bool', alias: 'f', usage: 'kill the container (SIGKILL) if it still runs, then delete it' },
  },
  run: async (ctx, flags, args) => {
    exactArgs('delete', args, 1);
    await deleteContainer({ ...ctx.runtime, id: args[0] as string, force: flags.force });
    return 0;
  },
});
