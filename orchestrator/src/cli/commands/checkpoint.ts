import { resolve } from 'node:path';
import { checkpointContainer } from '../../api/checkpoint.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'checkpoint',
  summary: 'checkpoint a running container with criu',
  argsUsage: '<container-id>',
  description:
    'criu dumps the container into --image-path (default ./checkpoint). Unless --leave-running or\n' +
    '--pre-dump the container is stopped and deleted; `orch restore` brings it back, under any id.',
  flags: {
    'image-path': { kind: 'string', usage: 'directory for the criu image files' },
    'work-path': { kind: 'string', usage: 'directory for criu work files and logs' },
    'parent-path': { kind: 'string', usage: 'directory of the previous pre-dump images' },
    'leave-running': { kind: 'bool', usage: 'keep the container running after the checkpoint' },
    'tcp-established': { kind: 'bool', usage: 'allow open TCP connections' },
    'tcp-skip-in-flight': { kind: 'bool', usage: 'skip TCP connections still being set up' },
    'link-remap': { kind: 'bool', usage: 'link unlinked-but-open files back where possible' },
    'ext-unix-sk': { kind: 'bool', usage: 'allow external unix sockets' },
    'shell-job': { kind: 'bool', usage: 'allow shell jobs' },
    'lazy-pages': { kind: 'bool', usage: 'restore memory pages lazily through userfaultfd' },
    'status-fd': { kind: 'int', usage: 'fd criu writes \\\\0 to once lazy pages are ready' },
    'page-server': { kind: 'string', usage: 'ADDRESS:PORT of the criu page server' },
    'file-locks': { kind: 'bool', usage: 'checkpoint and restore file locks' },
    'pre-dump': { kind: 'bool', usage: 'dump memory only and leave the container running' },
    'manage-cgroups-mode': { kind: 'string', usage: 'cgroup handling: soft, full, strict or ignore' },
    'empty-ns': { kind: 'strings', usage: 'namespace type to create but not restore' },
    'auto-dedup': { kind: 'bool', usage: 'deduplicate memory images' },
  },
  run: async (ctx, flags, args) => {
    exactArgs('checkpoint', args, 1);
    const cwd = ctx.io.cwd();
    await checkpointContainer({
      ...ctx.runtime,
      id: args[0] as string,
      imagePath: resolve(cwd, flags['image-path'] || 'checkpoint'),
      ...(flags['work-path'] ? { workPath: resolve(cwd, flags['work-path']) } : {}),
      ...(flags['parent-path'] ? { parentPath: flags['parent-path'] } : {}),
      leaveRunning: flags['leave-running'],
      tcpEstablished: flags['tcp-established'],
      tcpSkipInFlight: flags['tcp-skip-in-flight'],
      linkRemap: flags['link-remap'],
      extUnixSk: flags['ext-unix-sk'],
      shellJob: flags['shell-job'],
      lazyPages: flags['lazy-pages'],
      ...(flags['status-fd'] !== undefined ? { statusFd: flags['status-fd'] } : {}),
      ...(flags['page-server'] ? { pageServer: flags['page-server'] } : {}),
      fileLocks: flags['file-locks'],
      preDump: flags['pre-dump'],
      ...(flags['manage-cgroups-mode'] ? { manageCgroupsMode: flags['manage-cgroups-mode'] } : {}),
      emptyNs: flags['empty-ns'],
      autoDedup: flags['auto-dedup'],
    });
    return 0;
  },
});
