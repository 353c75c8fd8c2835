import { pauseContainer } from '../../api/pause.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'pause',
  summary: 'freeze every process of a container',
  argsUsage: '<container-id>',
  description: 'Suspends every process of the container (cgroup freezer); its status becomes "paused" until `orch resume`.',
  flags: {},
  run: async (ctx, _flags, args) => {
    exactArgs('pause', args, 1);
    await pauseContainer({ ...ctx.runtime, id: args[0] as string });
    return 0;
  },
});
