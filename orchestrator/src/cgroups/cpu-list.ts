import { OrchError } from '../errors/orch-error.js';

/**
 * A kernel CPU or memory-node list ("0-3,8,10-11") as the numbers it names, as runc's
 * getCpusetStat reads cpuset.cpus / cpuset.mems. An empty list is an error, as there.
 */
export function parseCpuList(text: string, where: string): number[] {
  const list = text.trim();
  if (list === '') throw new OrchError('system', `${where}: empty file`);
  const out: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new OrchError('system', `${where}: cannot parse ${JSON.stringify(part)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    // runc keeps them as uint16
    if (from > 65535 || to > 65535) throw new OrchError('system', `${where}: ${part} is out of range`);
    if (from > to) throw new OrchError('system', `${where}: invalid values, from > to`);
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out;
}
