import { statSync } from 'node:fs';
import { OrchError, systemError } from '../errors/orch-error.js';
import { NAMESPACES, type NamespaceType } from '../protocol/protocol.js';
import type { Spec } from '../config/spec-types.js';

/** criu's key for an external namespace, as runc names it: extRootNetNS, extRootPidNS. */
const keyOf = (proc: string): string => `extRoot${proc.charAt(0).toUpperCase()}${proc.slice(1)}NS`;

/** Namespaces the container joined by path: they are not the container's to dump. */
function joined(spec: Spec): Array<{ type: NamespaceType; path: string }> {
  return (spec.linux?.namespaces ?? []).flatMap((ns) => (ns.path ? [{ type: ns.type as NamespaceType, path: ns.path }] : []));
}

/**
 * `criu dump`: a network or pid namespace joined by path is external (--external net[inode]:key);
 * criu expects it to be there again at restore. Joined namespaces of other kinds are simply
 * joined again at restore.
 */
export function externalNamespaceArgs(spec: Spec): string[] {
  return joined(spec)
    .filter((ns) => ns.type === 'network' || ns.type === 'pid')
    .flatMap(({ type, path }) => {
      const { proc } = NAMESPACES[type];
      let ino: number;
      try {
        ino = statSync(path).ino;
      } catch (err) {
        throw systemError(`stat ${type} namespace ${path}`, err);
      }
      return ['--external', `${proc}[${ino}]:${keyOf(proc)}`];
    });
}

/**
 * `criu restore`: external network/pid namespaces come as inherited fds (firstFd, firstFd+1…,
 * which the caller must open at those numbers from `files`); the others are joined by path
 * (--join-ns). A cgroup namespace joined by path cannot be restored (criu has no way), as runc says.
 */
export function restoreNamespaceArgs(spec: Spec, firstFd: number): { args: string[]; files: string[] } {
  const args: string[] = [];
  const files: string[] = [];
  for (const { type, path } of joined(spec)) {
    const { proc } = NAMESPACES[type];
    if (type === 'network' || type === 'pid') {
      args.push('--inherit-fd', `fd[${firstFd + files.length}]:${keyOf(proc)}`);
      files.push(path);
    } else if (type === 'cgroup') {
      throw new OrchError('unsupported', `restore: a cgroup namespace joined by path (${path}) cannot be restored by criu`);
    } else {
      args.push('--join-ns', `${proc}:${path}`);
    }
  }
  return { args, files };
}
