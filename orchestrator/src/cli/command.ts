import type { Logger } from '../log/logger.js';
import type { RuntimeOptions } from '../api/options.js';
import { parseArgs, type FlagTable, type FlagValues, type ParseMode } from './args.js';
import type { GlobalOptions } from './global-options.js';
import { commandHelp } from './help.js';

/** The process' outside world, replaceable in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd(): string;
}

export interface CommandContext {
  global: GlobalOptions;
  /** the options every API call takes, from the global flags */
  runtime: RuntimeOptions;
  io: CliIo;
  /** this call's --log / --debug writer */
  log: Logger;
}

/** A command as the CLI runs it: flags are parsed by `execute`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** what follows the options in the usage line, e.g. "<container-id>" */
  readonly argsUsage: string;
  readonly description?: string;
  readonly flags: FlagTable;
  execute(ctx: CommandContext, argv: readonly string[]): Promise<number>;
}

export interface CommandSpec<T extends FlagTable> {
  name: string;
  summary: string;
  argsUsage: string;
  description?: string;
  flags: T;
  mode?: ParseMode;
  /** returns the exit status */
  run(ctx: CommandContext, flags: FlagValues<T>, args: string[]): Promise<number>;
}

/** Ties a command's flag table to its typed run function. */
export function defineCommand<T extends FlagTable>(spec: CommandSpec<T>): Command {
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    argsUsage: spec.argsUsage,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    flags: spec.flags,
    execute: async (ctx, argv) => {
      const parsed = parseArgs(argv, spec.flags, spec.mode);
      if (parsed.help) {
        ctx.io.stdout(commandHelp(command));
        return 0;
      }
      return spec.run(ctx, parsed.flags, parsed.args);
    },
  };
  return command;
}
