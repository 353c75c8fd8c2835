import { features } from '../../api/features.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'features',
  summary: 'print what this runtime supports, as JSON',
  argsUsage: '',
  description:
    'Prints the runtime-spec features document (features.md): hooks, mount options, namespaces,\n' +
    'capabilities, cgroup drivers, the seccomp vocabulary, LSMs. Parsable as JSON.',
  flags: {},
  run: async (ctx, _flags, args) => {
    exactArgs('features', args, 0);
    // as runc: Go's json encoder with four-space indent, one trailing newline
    ctx.io.stdout(`${JSON.stringify(features(), null, 4)}\n`);
    return 0;
  },
});
