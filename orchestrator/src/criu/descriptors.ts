import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError, systemError } from '../errors/orch-error.js';

/** runc's file name in the image directory: what the init's fds 0-2 were. */
const DESCRIPTORS = 'descriptors.json';

/**
 * Records what the container init's stdio is (pipe:[ino], /dev/null, a file…), so a restore can
 * hand its own stdio in where there were pipes (criu cannot reopen a pipe by name).
 */
export function saveDescriptors(imagesDir: string, initPid: number): void {
  const fds = [0, 1, 2].map((fd) => {
    try {
      return readlinkSync(`/proc/${initPid}/fd/${fd}`);
    } catch {
      return '';
    }
  });
  try {
    writeFileSync(join(imagesDir, DESCRIPTORS), JSON.stringify(fds), { mode: 0o600 });
  } catch (err) {
    throw systemError(`write ${join(imagesDir, DESCRIPTORS)}`, err);
  }
}

/** --inherit-fd arguments: the restoring process's fd N takes the place of the init's pipe N. */
export function inheritFdArgs(imagesDir: string): string[] {
  const path = join(imagesDir, DESCRIPTORS);
  let fds: unknown;
  try {
    fds = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw err instanceof SyntaxError ? new OrchError('invalid-argument', `${path}: ${err.message}`) : systemError(`read ${path}`, err);
  }
  if (!Array.isArray(fds)) throw new OrchError('invalid-argument', `${path}: not a list of descriptors`);
  return fds.flatMap((fd, i) => (typeof fd === 'string' && fd.includes('pipe:') ? ['--inherit-fd', `fd[${i}]:${fd}`] : []));
}
