import { isAbsolute, join, relative } from 'node:path';
import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement } from '../state/container-record.js';

/**
 * `exec --cgroup`, as runc parses it: one bare "path" (every hierarchy, cgroup v2's only form) or
 * one or more "controller[,controller…]:path". Returns controller -> path ("" for the bare form).
 */
export function parseSubCgroupArgs(args: readonly string[]): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const arg of args) {
    const colon = arg.indexOf(':');
    if (colon < 0) {
      if (args.length !== 1) throw new OrchError('invalid-argument', `invalid --cgroup argument: ${arg} (missing <controller>: prefix)`);
      paths[''] = arg;
      continue;
    }
    for (const controller of arg.slice(0, colon).split(',')) {
      if (controller === '') throw new OrchError('invalid-argument', `invalid --cgroup argument: ${arg} (empty <controller> prefix)`);
      if (controller in paths) throw new OrchError('invalid-argument', `invalid --cgroup argument(s): controller ${controller} specified multiple times`);
      paths[controller] = arg.slice(colon + 1);
    }
  }
  return paths;
}

/**
 * The container's placement with the exec'd process's sub-cgroups in place of its dirs. Each
 * sub-cgroup must already exist (joining it fails otherwise, as with runc) and stay inside the
 * container's cgroup. On v1 a hierarchy is keyed by its controller list ("cpu,cpuacct"): a
 * controller of it names the hierarchy.
 */
export function subCgroupPlacement(p: CgroupPlacement, sub: Readonly<Record<string, string>>): CgroupPlacement {
  const wanted = Object.keys(sub);
  if (wanted.length === 0) return p;
  const all = sub[''];
  if (p.version === 2 && all === undefined) {
    throw new OrchError('invalid-argument', `--cgroup ${wanted[0]}:…: controller prefixes are for cgroup v1; on cgroup v2 give one path`);
  }
  const known = new Set(Object.keys(p.paths).flatMap((key) => key.split(',')));
  for (const controller of wanted) {
    if (controller !== '' && !known.has(controller)) throw new OrchError('invalid-argument', `--cgroup: unknown controller ${controller} (the container's cgroup has no such hierarchy)`);
  }
  const paths: Record<string, string> = {};
  for (const [key, base] of Object.entries(p.paths)) {
    const named = key.split(',').filter((controller) => controller in sub);
    const choices = new Set(named.map((controller) => sub[controller] as string));
    if (choices.size > 1) throw new OrchError('invalid-argument', `--cgroup: controllers ${named.join(',')} share one hierarchy but got different paths`);
    const path = named.length > 0 ? (sub[named[0] as string] as string) : all;
    paths[key] = path === undefined ? base : inside(base, path);
  }
  return { version: p.version, paths };
}

function inside(base: string, path: string): string {
  const dir = join(base, path);
  const rel = relative(base, dir);
  // runc's words; "..x" is a name, not a way up
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) throw new OrchError('invalid-argument', `${path} is not a sub cgroup path`);
  return dir;
}
