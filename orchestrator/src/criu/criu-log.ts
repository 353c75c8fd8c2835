import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../errors/orch-error.js';

/** How many "Error" lines of criu's log go into the message. */
const SHOWN = 3;

/**
 * criu failed: the error names the log and quotes its last Error lines (runc prints the log's
 * error context as warnings; one line must carry it here).
 */
export function criuFailure(what: string, status: string, logDir: string, logFile: string): OrchError {
  const path = join(logDir, logFile);
  let errors: string[] = [];
  try {
    errors = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.includes('Error'))
      .map((line) => line.replace(/^\(\s*[\d.]+\)\s*/, '').trim());
  } catch {
    // no log: criu did not get that far
  }
  const quoted = errors.length > 0 ? `: ${errors.slice(-SHOWN).join('; ')}` : '';
  return new OrchError('system', `criu ${what} failed: ${status}${quoted} (log file: ${path})`);
}
