import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'ps',
  summary: 'show the processes of a container (not implemented yet)',
  argsUsage: '<container-id> [ps options]',
  flags: {
    format: { kind: 'string', alias: 'f', usage: "'table' or 'json'" },
  },
  run: async () => {
    throw notImplemented('ps');
  },
});
