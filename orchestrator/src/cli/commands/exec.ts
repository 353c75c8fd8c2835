import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execProcess } from '../../api/exec.js';
import { startSignalForwarding } from '../forward-signals.js';
import { ownTerminalSize } from '../own-terminal-size.js';
import { OrchError, systemError } from '../../errors/orch-error.js';
import { applyProcessOverrides } from '../../exec/process-overrides.js';
import { parseSubCgroupArgs } from '../../cgroups/sub-cgroup.js';
import { StateStore } from '../../state/state-store.js';
import { minArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';
import { reportError } from '../report-error.js';

/** runc exits 255 when exec itself fails, so a caller can tell it from the process's own status. */
const EXEC_FAILED_STATUS = 255;

export const command = defineCommand({
  name: 'exec',
  summary: 'run a new process in a container',
  argsUsage: '<container-id> <command> [command options]  || -p process.json <container-id>',
  description:
    'Runs <command> in the container, in all of its namespaces and its cgroup, with its process settings\n' +
    '(user, cwd, env, capabilities, seccomp…) unless flags change them; -p gives the whole process as\n' +
    'runtime-spec JSON instead. Without --detach orch waits and exits with the process\'s status.\n' +
    'Flags go before <container-id>: what follows it is the command.',
  flags: {
    'console-socket': { kind: 'string', usage: 'AF_UNIX socket to receive the master end of the pseudo-terminal (with -t and -d)' },
    'pidfd-socket': { kind: 'string', usage: 'AF_UNIX socket to receive a pidfd of the process' },
    cwd: { kind: 'string', usage: 'working directory in the container' },
    env: { kind: 'strings', alias: 'e', usage: 'set an environment variable (KEY=value)' },
    tty: { kind: 'bool', alias: 't', usage: 'allocate a pseudo-terminal' },
    user: { kind: 'string', alias: 'u', usage: 'user to run as, <uid>[:<gid>]' },
    'additional-gids': { kind: 'ints', alias: 'g', usage: 'additional group ids' },
    process: { kind: 'string', alias: 'p', usage: 'path to a process.json (runtime-spec process); other process flags are ignored' },
    detach: { kind: 'bool', alias: 'd', usage: 'do not wait for the process' },
    'pid-file': { kind: 'string', usage: "file to write the process' pid to" },
    'process-label': { kind: 'string', usage: 'SELinux label for the process' },
    apparmor: { kind: 'string', usage: 'AppArmor profile for the process' },
    'no-new-privs': { kind: 'bool', usage: 'set no_new_privs for the process' },
    cap: { kind: 'strings', alias: 'c', usage: 'capability to add for the process' },
    'preserve-fds': { kind: 'int', usage: 'pass N more file descriptors (3 .. 3+N-1) to the process', defaultText: '0' },
    cgroup: { kind: 'strings', usage: 'run in an existing sub-cgroup of the container, [<controller>[,…]:]<path>' },
    'ignore-paused': { kind: 'bool', usage: 'allow exec into a paused container' },
  },
  mode: 'leading',
  run: async (ctx, flags, args) => {
    try {
      minArgs('exec', args, 1);
      const id = args[0] as string;
      const cwd = ctx.io.cwd();
      const { process, source } = flags.process !== undefined ? readProcessFile(resolve(cwd, flags.process)) : { process: undefined, source: 'process' };
      const preserveFds = flags['preserve-fds'] ?? 0;
      if (preserveFds < 0) throw new OrchError('invalid-argument', `invalid value "${preserveFds}" for flag -preserve-fds: must not be negative`);
      const subCgroups = parseSubCgroupArgs(flags.cgroup);
      const terminalSize = ownTerminalSize();
      return await execProcess({
        ...ctx.runtime,
        id,
        process: process ?? processFromFlags(ctx.runtime.root, id, flags, args.slice(1)),
        processSource: source,
        detach: flags.detach,
        ...(flags['pid-file'] ? { pidFile: resolve(cwd, flags['pid-file']) } : {}),
        ...(flags['console-socket'] ? { consoleSocket: resolve(cwd, flags['console-socket']) } : {}),
        ...(flags['pidfd-socket'] ? { pidfdSocket: resolve(cwd, flags['pidfd-socket']) } : {}),
        preserveFds,
        ignorePaused: flags['ignore-paused'],
        subCgroups,
        forwardSignals: startSignalForwarding,
        ...(terminalSize ? { consoleSize: terminalSize } : {}),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      reportError(new OrchError(err instanceof OrchError ? err.code : 'system', `exec failed: ${message}`, { cause: err }), ctx.log, ctx.io);
      return EXEC_FAILED_STATUS;
    }
  },
});

interface ExecFlags {
  cwd: string | undefined;
  env: string[];
  tty: boolean;
  user: string | undefined;
  'additional-gids': number[];
  'process-label': string | undefined;
  apparmor: string | undefined;
  'no-new-privs': boolean;
  cap: string[];
}

/** runc's getProcess without -p: the container's process with the flags applied. */
function processFromFlags(root: string, id: string, flags: ExecFlags, command: string[]): unknown {
  const base = new StateStore(root).read(id).config.process;
  if (!base) throw new OrchError('invalid-config', 'the container has no process to start from');
  return applyProcessOverrides(base, {
    args: command,
    ...(flags.cwd ? { cwd: flags.cwd } : {}),
    env: flags.env,
    tty: flags.tty,
    ...(flags.user ? { user: flags.user } : {}),
    additionalGids: flags['additional-gids'],
    caps: flags.cap,
    // a bool flag cannot say "not given": only --no-new-privs changes the container's setting
    ...(flags['no-new-privs'] ? { noNewPrivileges: true } : {}),
    ...(flags.apparmor ? { apparmorProfile: flags.apparmor } : {}),
    ...(flags['process-label'] ? { selinuxLabel: flags['process-label'] } : {}),
  });
}

function readProcessFile(path: string): { process: unknown; source: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw systemError(`open ${path}`, err);
  }
  try {
    return { process: JSON.parse(text) as unknown, source: path };
  } catch (err) {
    throw new OrchError('invalid-argument', `${path}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
}
