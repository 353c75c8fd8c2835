import { startContainer } from '../../api/start.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'start',
  summary: "start a created container's process",
  argsUsage: '<container-id>',
  flags: {},
  run: async (ctx, _flags, args) => {
    exactArgs('start', args, 1);
    await startContainer({ ...ctx.runtime, id: args[0] as string });
    return 0;
  },
});
