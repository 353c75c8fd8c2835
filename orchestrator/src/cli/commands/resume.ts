import { resumeContainer } from '../../api/resume.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'resume',
  summary: 'thaw a paused container',
  argsUsage: '<container-id>',
  description: 'Resumes every process of a container that `orch pause` froze.',
  flags: {},
  run: async (ctx, _flags, args) => {
    exactArgs('resume', args, 1);
    await resumeContainer({ ...ctx.runtime, id: args[0] as string });
    return 0;
  },
});
