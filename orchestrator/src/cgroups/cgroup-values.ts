import { join } from 'node:path';
import { OrchError } from '../errors/orch-error.js';
import { readCgroupFile } from './cgroup-file.js';

/** Counters and limits are u64 in the kernel: kept as bigint so none loses precision above 2^53. */
export const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * A cgroup file's unsigned value as runc's fscommon.ParseUint reads it: "max" is 2^64-1, and a
 * negative value (some memory counters go below zero through kernel bugs) is 0.
 */
export function parseCgroupUint(text: string, where: string): bigint {
  const value = text.trim();
  if (value === 'max') return MAX_UINT64;
  if (/^\d+$/.test(value)) {
    const n = BigInt(value);
    if (n <= MAX_UINT64) return n;
  } else if (/^-\d+$/.test(value)) {
    return 0n;
  }
  throw new OrchError('system', `${where}: cannot parse ${JSON.stringify(value)} as an unsigned integer`);
}

export function parseCgroupInt(text: string, where: string): bigint {
  const value = text.trim();
  if (!/^-?\d+$/.test(value)) throw new OrchError('system', `${where}: cannot parse ${JSON.stringify(value)} as an integer`);
  return BigInt(value);
}

export function readCgroupUint(controller: string, dir: string, file: string): bigint {
  return parseCgroupUint(readCgroupFile(controller, dir, file), join(dir, file));
}

export function readCgroupInt(controller: string, dir: string, file: string): bigint {
  return parseCgroupInt(readCgroupFile(controller, dir, file), join(dir, file));
}

/** "key value" lines (memory.stat, cpu.stat …), in file order. */
export function parseKeyValues(text: string, where: string): Array<[string, bigint]> {
  const pairs: Array<[string, bigint]> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    if (space < 0) throw new OrchError('system', `${where}: line ${JSON.stringify(line)} is not in key value format`);
    pairs.push([line.slice(0, space), parseCgroupUint(line.slice(space + 1), where)]);
  }
  return pairs;
}

export function readKeyValues(controller: string, dir: string, file: string): Array<[string, bigint]> {
  return parseKeyValues(readCgroupFile(controller, dir, file), join(dir, file));
}

/** The value of the "key value" line with this key; 0 when there is none (runc's GetValueByKey). */
export function valueByKey(text: string, key: string, where: string): bigint {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${key} `)) return parseCgroupUint(line.slice(key.length + 1), where);
  }
  return 0n;
}

export function readValueByKey(controller: string, dir: string, file: string, key: string): bigint {
  return valueByKey(readCgroupFile(controller, dir, file), key, join(dir, file));
}
