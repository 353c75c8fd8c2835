import { OrchError } from '../../errors/orch-error.js';
import { hasErrno, readCgroupFile, writeCgroupLines } from '../cgroup-file.js';

/**
 * linux.resources.unified: raw v2 files (runc's fs2 setUnified). Each value is written line by
 * line; a key must be a file name, and a missing or refused file whose controller is not enabled
 * for the cgroup says so.
 */
export function setUnifiedV2(dir: string, unified: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(unified ?? {})) {
    if (key.includes('/')) throw new OrchError('invalid-config', `unified resource ${JSON.stringify(key)} must be a file name (no slashes)`);
    try {
      writeCgroupLines('unified', dir, key, splitLines(value));
    } catch (err) {
      if (hasErrno(err, 'ENOENT') || hasErrno(err, 'EPERM') || hasErrno(err, 'EACCES')) {
        const dot = key.indexOf('.');
        if (dot < 0) throw new OrchError('invalid-config', `unified resource ${JSON.stringify(key)} must be in the form CONTROLLER.PARAMETER`);
        const controller = key.slice(0, dot);
        if (controller !== 'cgroup' && !enabledControllers(dir).includes(controller)) {
          throw new OrchError('invalid-config', `unified resource ${JSON.stringify(key)} can't be set: controller ${JSON.stringify(controller)} not available`);
        }
      }
      const message = err instanceof Error ? err.message : String(err);
      throw new OrchError('system', `unable to set unified resource ${JSON.stringify(key)}: ${message}`, { cause: err });
    }
  }
}

/** "a\nb\n" -> ["a\n", "b\n"]; the last line keeps whatever ending it has. */
function splitLines(value: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', start)) {
    lines.push(value.slice(start, i + 1));
    start = i + 1;
  }
  if (start < value.length || lines.length === 0) lines.push(value.slice(start));
  return lines;
}

function enabledControllers(dir: string): string[] {
  try {
    return readCgroupFile('unified', dir, 'cgroup.controllers').trim().split(/\s+/);
  } catch {
    return [];
  }
}
