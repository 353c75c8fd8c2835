import type { ContainerStdio, StdioItem } from '../bootstrap/launch-init.js';
import { OrchError } from '../errors/orch-error.js';

/**
 * A container process's stdio, as child_process takes it: one word for all three fds, or an
 * array ('pipe', 'inherit', 'ignore', an fd, or a stream with an fd). Missing entries are 'pipe',
 * as child_process fills them.
 */
export type StdioOption = 'pipe' | 'inherit' | 'ignore' | readonly StdioItem[];

export function containerStdio(option: StdioOption | undefined): ContainerStdio {
  if (option === undefined) return ['pipe', 'pipe', 'pipe'];
  if (typeof option === 'string') return [option, option, option];
  if (option.length > 3) throw new OrchError('invalid-argument', `stdio: ${option.length} entries; the container's fds 0-2 are the ones it takes (preserveFds passes more)`);
  return [option[0] ?? 'pipe', option[1] ?? 'pipe', option[2] ?? 'pipe'];
}
