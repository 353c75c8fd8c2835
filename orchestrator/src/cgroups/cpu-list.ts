import { OrchError } from '../errors/orch-error.js';

/**
 * The kernel's list format for CPUs and memory nodes (bitmap_parselist, cpuset(7)): "0-3,8,10-11",
 * and where the kernel itself reads the list (cpuset files) also "0-15:2/4" (of each group of 4,
 * the first 2). Parsed strictly, as the kernel parses it: no sign, no blank, no empty entry, a
 * range never backwards. The kernel takes at most a page of it, so a longer list is refused
 * before any work proportional to what it names.
 */
export const ID_LIST_MAX_BYTES = 4095;

export interface IdRange {
  first: number;
  last: number;
  /** with a stride: of each `group` ids from `first`, the first `used` */
  used: number;
  group: number;
}

const NUMBER = '(0|[1-9]\\d{0,8})';
const REGION = new RegExp(`^${NUMBER}(?:-${NUMBER}(?::${NUMBER}/${NUMBER})?)?$`);

/** The ranges of a list, or why it is not one. `stride` allows the "a-b:used/group" form. */
export function parseIdList(list: string, options: { stride: boolean }): IdRange[] | string {
  if (list.length > ID_LIST_MAX_BYTES) return `is longer than ${ID_LIST_MAX_BYTES} bytes`;
  if (list === '') return 'is empty';
  const ranges: IdRange[] = [];
  for (const region of list.split(',')) {
    const m = REGION.exec(region);
    if (!m) return `has ${JSON.stringify(region)}, not a number or a range such as "0-3"`;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first) return `has the backward range ${JSON.stringify(region)}`;
    let used = 1;
    let group = 1;
    if (m[3] !== undefined) {
      if (!options.stride) return `has ${JSON.stringify(region)}: a stride is not allowed here`;
      used = Number(m[3]);
      group = Number(m[4]);
      if (used === 0 || group === 0 || used > group) return `has ${JSON.stringify(region)}: the stride must be used/group with 0 < used <= group`;
    }
    ranges.push({ first, last, used, group });
  }
  return ranges;
}

/** The highest id a list names. */
export function highestId(ranges: readonly IdRange[]): number {
  let max = -1;
  for (const r of ranges) max = Math.max(max, r.last);
  return max;
}

/** Every id the ranges name, ascending and once each (the ids must be bounded by the caller). */
export function idListMembers(ranges: readonly IdRange[]): number[] {
  const seen = new Set<number>();
  for (const r of ranges) {
    for (let start = r.first; start <= r.last; start += r.group) {
      for (let id = start; id < start + r.used && id <= r.last; id++) seen.add(id);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * A list the kernel wrote (cpuset.cpus, cpuset.mems) as the numbers it names, as runc's
 * getCpusetStat reads them. An empty list is an error, as there.
 */
export function parseCpuList(text: string, where: string): number[] {
  const list = text.trim();
  if (list === '') throw new OrchError('system', `${where}: empty file`);
  const ranges = parseIdList(list, { stride: true });
  if (typeof ranges === 'string') throw new OrchError('system', `${where}: the list ${ranges}`);
  // runc keeps them as uint16
  if (highestId(ranges) > 65535) throw new OrchError('system', `${where}: ${list} is out of range`);
  return idListMembers(ranges);
}
