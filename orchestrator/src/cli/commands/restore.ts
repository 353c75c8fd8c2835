import { resolve } from 'node:path';
import { restoreContainer } from '../../api/restore.js';
import { startSignalForwarding } from '../forward-signals.js';
import { OrchError } from '../../errors/orch-error.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'restore',
  summary: 'restore a container from a criu checkpoint',
  argsUsage: '<container-id>',
  description:
    'criu restores the checkpoint in --image-path (default ./checkpoint) as a new container with this id,\n' +
    'in the bundle\'s rootfs. Without --detach orch waits, exits with its status and deletes it.',
  flags: {
    'console-socket': { kind: 'string', usage: 'AF_UNIX socket to receive the pty master' },
    'image-path': { kind: 'string', usage: 'directory for the criu image files' },
    'work-path': { kind: 'string', usage: 'directory for criu work files and logs' },
    'tcp-established': { kind: 'bool', usage: 'allow open TCP connections' },
    'ext-unix-sk': { kind: 'bool', usage: 'allow external unix sockets' },
    'shell-job': { kind: 'bool', usage: 'allow shell jobs' },
    'file-locks': { kind: 'bool', usage: 'checkpoint and restore file locks' },
    'manage-cgroups-mode': { kind: 'string', usage: 'cgroup handling: soft, full, strict or ignore' },
    bundle: { kind: 'string', alias: 'b', usage: 'bundle directory' },
    detach: { kind: 'bool', alias: 'd', usage: 'do not wait for the process' },
    'pid-file': { kind: 'string', usage: "file to write the process' pid to" },
    'no-subreaper': { kind: 'bool', usage: 'do not reap orphaned processes' },
    'no-pivot': { kind: 'bool', usage: 'do not use pivot_root' },
    'empty-ns': { kind: 'strings', usage: 'namespace type to create but not restore' },
    'auto-dedup': { kind: 'bool', usage: 'deduplicate memory images' },
    'lazy-pages': { kind: 'bool', usage: 'restore memory pages lazily through userfaultfd' },
    'lsm-profile': { kind: 'string', usage: 'LSM profile to restore with, as TYPE:NAME' },
    'lsm-mount-context': { kind: 'string', usage: 'LSM mount context to restore with' },
  },
  run: async (ctx, flags, args) => {
    exactArgs('restore', args, 1);
    if (flags['console-socket']) throw new OrchError('unsupported', '--console-socket: restoring a container with a terminal is not supported yet');
    if (flags['no-subreaper']) throw new OrchError('unsupported', '--no-subreaper is not supported yet');
    const cwd = ctx.io.cwd();
    return restoreContainer({
      ...ctx.runtime,
      forwardSignals: startSignalForwarding,
      id: args[0] as string,
      bundle: resolve(cwd, flags.bundle ?? '.'),
      imagePath: resolve(cwd, flags['image-path'] || 'checkpoint'),
      ...(flags['work-path'] ? { workPath: resolve(cwd, flags['work-path']) } : {}),
      detach: flags.detach,
      ...(flags['pid-file'] ? { pidFile: resolve(cwd, flags['pid-file']) } : {}),
      tcpEstablished: flags['tcp-established'],
      extUnixSk: flags['ext-unix-sk'],
      shellJob: flags['shell-job'],
      fileLocks: flags['file-locks'],
      ...(flags['manage-cgroups-mode'] ? { manageCgroupsMode: flags['manage-cgroups-mode'] } : {}),
      emptyNs: flags['empty-ns'],
      autoDedup: flags['auto-dedup'],
      lazyPages: flags['lazy-pages'],
      ...(flags['lsm-profile'] ? { lsmProfile: flags['lsm-profile'] } : {}),
      ...(flags['lsm-mount-context'] ? { lsmMountContext: flags['lsm-mount-context'] } : {}),
    });
  },
});
