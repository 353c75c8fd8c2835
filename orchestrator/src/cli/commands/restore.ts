import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'restore',
  summary: 'restore a container from a checkpoint (not implemented yet)',
  argsUsage: '<container-id>',
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
  run: async () => {
    throw notImplemented('restore');
  },
});
