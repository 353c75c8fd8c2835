import { OrchError } from '../errors/orch-error.js';
import { Logger, withLogger } from '../log/logger.js';
import { writeStderr, writeStdout } from '../log/std-write.js';
import { parseArgs } from './args.js';
import type { CliIo, CommandContext } from './command.js';
import { COMMANDS } from './command-table.js';
import { GLOBAL_FLAGS, globalOptions } from './global-options.js';
import { mainHelp, commandHelp } from './help.js';
import { reportError } from './report-error.js';
import { versionText } from './version.js';

export const processIo: CliIo = {
  stdout: writeStdout,
  stderr: writeStderr,
  cwd: () => process.cwd(),
};

/** runc exits 3 for a command it does not know (urfave/cli's "no help topic"). */
const UNKNOWN_COMMAND_STATUS = 3;

/** The whole command line: global flags, then one command. Returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // until the flags say otherwise, errors go to stderr in text format, as runc's do
  let log = new Logger({ writeStderr: io.stderr });
  let status = 1;
  try {
    const parsed = parseArgs(argv, GLOBAL_FLAGS, 'leading');
    if (parsed.flags.version) {
      io.stdout(versionText());
      return 0;
    }
    const global = globalOptions(parsed.flags);
    log = new Logger({
      ...(global.log !== undefined ? { file: global.log } : {}),
      format: global.logFormat,
      debug: global.debug,
      writeStderr: io.stderr,
    });

    const [name, ...rest] = parsed.args;
    if (parsed.help || parsed.flags.help || name === undefined) {
      io.stdout(mainHelp());
      return 0;
    }
    if (name === 'help' || name === 'h') return await help(rest[0], io);
    const entry = COMMANDS[name];
    if (entry === undefined) {
      status = UNKNOWN_COMMAND_STATUS;
      throw new OrchError('invalid-argument', `unknown command ${JSON.stringify(name)}; see orch --help`);
    }
    const { command } = await entry.load();
    const ctx: CommandContext = {
      global,
      // hooks without an env of their own inherit the CLI's, as runc's inherit runc's
      runtime: { root: global.root, systemdCgroup: global.systemdCgroup, criu: global.criu, hookEnv: process.env },
      io,
      log,
    };
    log.debug(`orch ${name}`, { args: rest.join(' ') });
    return await withLogger(log, () => command.execute(ctx, rest));
  } catch (err) {
    reportError(err, log, io);
    return status;
  } finally {
    log.close();
  }
}

async function help(name: string | undefined, io: CliIo): Promise<number> {
  if (name === undefined) {
    io.stdout(mainHelp());
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) throw new OrchError('invalid-argument', `unknown command ${JSON.stringify(name)}; see orch --help`);
  io.stdout(commandHelp((await entry.load()).command));
  return 0;
}
