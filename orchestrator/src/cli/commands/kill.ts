import { killContainer } from '../../api/kill.js';
import { maxArgs, minArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'kill',
  summary: "send a signal (default SIGTERM) to a container's init",
  argsUsage: '<container-id> [signal]',
  description: 'The signal is a number or a name, with or without SIG, in any case: 9, KILL, sigkill, RTMIN+1.',
  flags: {
    all: { kind: 'bool', alias: 'a', usage: "signal every process in the container's cgroup, not just the init" },
  },
  run: async (ctx, flags, args) => {
    minArgs('kill', args, 1);
    maxArgs('kill', args, 2);
    await killContainer({ ...ctx.runtime, id: args[0] as string, signal: args[1] ?? 'SIGTERM', all: flags.all });
    return 0;
  },
});
