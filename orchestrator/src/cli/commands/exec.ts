import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'exec',
  summary: 'run a new process in a container (not implemented yet)',
  argsUsage: '<container-id> <command> [command options]',
  flags: {
    'console-socket': { kind: 'string', usage: 'AF_UNIX socket to receive the pty master' },
    'pidfd-socket': { kind: 'string', usage: 'AF_UNIX socket to receive a pidfd of the process' },
    cwd: { kind: 'string', usage: 'working directory in the container' },
    env: { kind: 'strings', alias: 'e', usage: 'set an environment variable (KEY=value)' },
    tty: { kind: 'bool', alias: 't', usage: 'allocate a pseudo-terminal' },
    user: { kind: 'string', alias: 'u', usage: 'user to run as, <uid>[:<gid>]' },
    'additional-gids': { kind: 'ints', alias: 'g', usage: 'additional group ids' },
    process: { kind: 'string', alias: 'p', usage: 'path to a process.json' },
    detach: { kind: 'bool', alias: 'd', usage: 'do not wait for the process' },
    'pid-file': { kind: 'string', usage: "file to write the process' pid to" },
    'process-label': { kind: 'string', usage: 'SELinux label for the process' },
    apparmor: { kind: 'string', usage: 'AppArmor profile for the process' },
    'no-new-privs': { kind: 'bool', usage: 'set no_new_privs for the process' },
    cap: { kind: 'strings', alias: 'c', usage: 'capability to add for the process' },
    'preserve-fds': { kind: 'int', usage: 'pass N more file descriptors to the process' },
    cgroup: { kind: 'strings', usage: 'run in a sub-cgroup of the container, [<controller>:]<path>' },
    'ignore-paused': { kind: 'bool', usage: 'allow exec into a paused container' },
  },
  mode: 'leading',
  run: async () => {
    throw notImplemented('exec');
  },
});
