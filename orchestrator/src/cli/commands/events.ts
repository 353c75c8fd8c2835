import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'events',
  summary: 'show container events and statistics (not implemented yet)',
  argsUsage: '<container-id>',
  flags: {
    interval: { kind: 'duration', usage: 'how often to collect statistics' },
    stats: { kind: 'bool', usage: 'print the statistics once and exit' },
  },
  run: async () => {
    throw notImplemented('events');
  },
});
