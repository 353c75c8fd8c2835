import { OrchError } from '../errors/orch-error.js';

// runc's `^[\w+-\.]+$`: inside a Go character class "+-\." is the range '+'..'.', so ',' passes too.
const ID_PATTERN = /^[\w+,\-.]+$/;

/**
 * Refuses ids runc refuses, before any path is built from them: the id names a directory under
 * --root, so "." / ".." and anything with a slash must never get through.
 */
export function validateContainerId(id: string): void {
  if (id === '') throw new OrchError('invalid-argument', 'container id cannot be empty');
  if (!ID_PATTERN.test(id) || id === '.' || id === '..') {
    throw new OrchError('invalid-argument', `invalid container ID format: ${id}`);
  }
}
