import { containerState } from '../../api/state.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'state',
  summary: "print a container's state as JSON",
  argsUsage: '<container-id>',
  flags: {},
  run: async (ctx, _flags, args) => {
    exactArgs('state', args, 1);
    const state = containerState({ ...ctx.runtime, id: args[0] as string });
    // runc indents by two spaces and ends without a newline
    ctx.io.stdout(JSON.stringify(state, null, 2));
    return 0;
  },
});
