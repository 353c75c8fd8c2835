import { OrchError } from '../errors/orch-error.js';
import type { CgroupPlacement, ContainerRecord } from './container-record.js';

/**
 * state.json text -> record, checking the fields orch relies on, so a damaged or foreign file
 * fails with its path named instead of deep inside some command.
 */
export function parseRecord(text: string, path: string): ContainerRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new OrchError('system', `${path}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const problem = recordProblem(data);
  if (problem) throw new OrchError('system', `${path}: ${problem}`);
  return data as ContainerRecord;
}

function recordProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'not an object';
  for (const key of ['ociVersion', 'id', 'bundle', 'rootfs', 'created', 'owner'] as const) {
    if (typeof data[key] !== 'string') return `${key}: expected a string`;
  }
  for (const key of ['initPid', 'initStartTime'] as const) {
    if (!Number.isSafeInteger(data[key])) return `${key}: expected an integer`;
  }
  if (!isObject(data['annotations'])) return 'annotations: expected an object';
  if (!isObject(data['config'])) return 'config: expected an object';
  if (!isPlacement(data['cgroup'])) return 'cgroup: expected {version: 1|2, paths: {…}}';
  return undefined;
}

function isPlacement(value: unknown): value is CgroupPlacement {
  return (
    isObject(value) &&
    (value['version'] === 1 || value['version'] === 2) &&
    isObject(value['paths']) &&
    Object.values(value['paths']).every((p) => typeof p === 'string')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
