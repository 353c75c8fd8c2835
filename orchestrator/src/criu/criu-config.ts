import { existsSync } from 'node:fs';

/** runc's container-specific criu configuration annotation. */
const ANNOTATION = 'org.criu.config';
/** runc's default criu configuration file for containers. */
const DEFAULT_FILE = '/etc/criu/runc.conf';

/**
 * --config for criu, as runc picks it: the file the org.criu.config annotation names (empty:
 * none), else /etc/criu/runc.conf. Settings in it win over the command line. A file that does not
 * exist is skipped (criu's RPC ignores it; its command line would not).
 */
export function criuConfigArgs(annotations: Readonly<Record<string, string>>): string[] {
  const file = ANNOTATION in annotations ? annotations[ANNOTATION] : DEFAULT_FILE;
  return file && existsSync(file) ? ['--config', file] : [];
}
