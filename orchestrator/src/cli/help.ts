import type { FlagTable } from './args.js';
import type { Command } from './command.js';
import { GLOBAL_FLAGS } from './global-options.js';
import { COMMANDS } from './command-table.js';

export function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length), 'help, h'.length) + 2;
  const lines = [
    'orch - an OCI container runtime with runc\'s command line',
    '',
    'Usage: orch [global options] <command> [command options] [arguments...]',
    '',
    'Commands:',
    ...names.map((name) => `  ${name.padEnd(width)}${COMMANDS[name]?.summary ?? ''}`),
    `  ${'help, h'.padEnd(width)}show the commands, or one command's options`,
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
  ];
  return lines.join('\n');
}

export function commandHelp(command: Command): string {
  const options = Object.keys(command.flags).length > 0 ? ' [options]' : '';
  const lines = [
    `orch ${command.name} - ${command.summary}`,
    '',
    `Usage: orch ${command.name}${options}${command.argsUsage ? ` ${command.argsUsage}` : ''}`,
  ];
  if (command.description) lines.push('', command.description);
  lines.push('', 'Options:', ...flagLines({ ...command.flags, help: { kind: 'bool', alias: 'h', usage: 'show this help' } }), '');
  return lines.join('\n');
}

function flagLines(table: FlagTable): string[] {
  const rows = Object.entries(table).map(([name, def]) => {
    const value = def.kind === 'bool' ? '' : ' value';
    const names = def.alias === undefined ? `--${name}${value}` : `--${name}${value}, -${def.alias}${value}`;
    const dflt = def.defaultText === undefined ? '' : ` (default: ${def.defaultText})`;
    return [names, `${def.usage}${dflt}`] as const;
  });
  const width = Math.max(0, ...rows.map(([names]) => names.length)) + 2;
  return rows.map(([names, usage]) => `  ${names.padEnd(width)}${usage}`);
}
