import type { CgroupPlacement } from '../state/container-record.js';

/**
 * The dir of a v1 placement whose hierarchy has this controller ("cpu" is found under the
 * "cpu,cpuacct" key where the two are co-mounted); undefined when no mounted hierarchy has it.
 */
export function controllerDir(p: CgroupPlacement, controller: string): string | undefined {
  for (const [key, dir] of Object.entries(p.paths)) if (key !== '' && key.split(',').includes(controller)) return dir;
  return undefined;
}
