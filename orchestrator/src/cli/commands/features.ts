import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'features',
  summary: 'print what this runtime supports (not implemented yet)',
  argsUsage: '',
  flags: {},
  run: async () => {
    throw notImplemented('features');
  },
});
