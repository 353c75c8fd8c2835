import { createContainer } from '../../api/create.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';
import { CREATE_FLAGS, createOptionsFrom } from '../create-flags.js';
import { withFailedPrefix } from '../failed-prefix.js';

export const command = defineCommand({
  name: 'create',
  summary: 'create a container, ready for start',
  argsUsage: '<container-id>',
  description:
    'Sets up a container from the bundle (config.json and its rootfs) and leaves its init waiting;\n' +
    "`orch start <container-id>` then runs the process config.json names. The id must be unique under --root.",
  flags: CREATE_FLAGS,
  run: async (ctx, flags, args) => {
    exactArgs('create', args, 1);
    const opts = createOptionsFrom(ctx, flags, args[0] as string);
    await withFailedPrefix('create', () => createContainer(opts));
    return 0;
  },
});
