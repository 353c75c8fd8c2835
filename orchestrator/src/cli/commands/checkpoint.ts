import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'checkpoint',
  summary: 'checkpoint a running container (not implemented yet)',
  argsUsage: '<container-id>',
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
  run: async () => {
    throw notImplemented('checkpoint');
  },
});
