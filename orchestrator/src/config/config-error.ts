import { OrchError } from '../errors/orch-error.js';

/** Names the file in every message, as `config.json: <field path>: <reason>`. */
export const CONFIG_FILE = 'config.json';

/** One step into the config: a property name or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** ['linux', 'namespaces', 2, 'type'] -> 'linux.namespaces[2].type'; odd keys -> 'linux.sysctl["net.ipv4.ip_forward"]'. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The one-line message for a problem at `path` (empty: the whole document). */
export function configMessage(path: readonly PathSegment[], reason: string): string {
  return path.length === 0 ? `${CONFIG_FILE}: ${reason}` : `${CONFIG_FILE}: ${formatPath(path)}: ${reason}`;
}

export function invalidConfig(path: readonly PathSegment[], reason: string): OrchError {
  return new OrchError('invalid-config', configMessage(path, reason), path.length > 0 ? { field: formatPath(path) } : undefined);
}

/** A value quoted for a message, cut short so that one line stays one line. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
