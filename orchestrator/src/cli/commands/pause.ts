import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'pause',
  summary: 'freeze every process of a container (not implemented yet)',
  argsUsage: '<container-id>',
  flags: {},
  run: async () => {
    throw notImplemented('pause');
  },
});
