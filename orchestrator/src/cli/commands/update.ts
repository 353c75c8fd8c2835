import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { containerState } from '../../api/state.js';
import { parseResources, updateContainer } from '../../api/update.js';
import { systemError } from '../../errors/orch-error.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';
import { resourcesFromFlags, UPDATE_FLAGS } from '../update-flags.js';

export const command = defineCommand({
  name: 'update',
  summary: "change a running container's resource limits",
  argsUsage: '<container-id>',
  description:
    'Changes the limits of a created, running or paused container in place, as runc update does.\n' +
    'With --resources (-r FILE, or - for stdin) the LinuxResources JSON is the change and the other\n' +
    'options are ignored; fields it leaves out keep their values (cpus, mems, burst, idle and the pids\n' +
    'limit excepted, as in runc). Devices cannot be changed.',
  flags: UPDATE_FLAGS,
  run: async (ctx, flags, args) => {
    exactArgs('update', args, 1);
    const id = args[0] as string;
    const file = flags.resources ?? '';
    let resources;
    if (file !== '') {
      // runc looks the container up before it opens the file: a missing container is the error then
      containerState({ ...ctx.runtime, id });
      const path = file === '-' ? '/dev/stdin' : resolve(ctx.io.cwd(), file);
      let text: string;
      try {
        // fd 0 for stdin: /dev/stdin cannot be reopened when it is a socket
        text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
      } catch (err) {
        throw systemError(`open ${path}`, err);
      }
      resources = parseResources(text, file === '-' ? 'resources (stdin)' : path);
    } else {
      resources = resourcesFromFlags(flags);
    }
    await updateContainer({
      ...ctx.runtime,
      id,
      resources,
      ...(flags['l3-cache-schema'] ? { l3CacheSchema: flags['l3-cache-schema'] } : {}),
      ...(flags['mem-bw-schema'] ? { memBwSchema: flags['mem-bw-schema'] } : {}),
    });
    return 0;
  },
});
