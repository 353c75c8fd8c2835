import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import type { LinuxBlockIO } from '../../config/spec-types.js';
import { readCgroupFileIfExists, writeCgroupFile } from '../cgroup-file.js';
import { parseCgroupUint } from '../cgroup-values.js';
import { deviceValueLine, THROTTLE_KINDS, type ThrottleKind } from '../blkio-device.js';
import type { BlkioStatEntry, BlkioStats, CgroupStats } from '../stats/cgroup-stats.js';

/** The v1 blkio controller: weights and throttles (runc's fs.BlkioGroup) and IO statistics. */

const C = 'blkio';

const THROTTLE_FILES: Record<ThrottleKind, string> = {
  throttleReadBpsDevice: 'blkio.throttle.read_bps_device',
  throttleWriteBpsDevice: 'blkio.throttle.write_bps_device',
  throttleReadIOPSDevice: 'blkio.throttle.read_iops_device',
  throttleWriteIOPSDevice: 'blkio.throttle.write_iops_device',
};

export function blkioIsSet(b: LinuxBlockIO | undefined): boolean {
  return b !== undefined && ((b.weight ?? 0) !== 0 || (b.leafWeight ?? 0) !== 0 || (b.weightDevice ?? []).length > 0 || THROTTLE_KINDS.some((k) => (b[k] ?? []).length > 0));
}

export function setBlkioV1(dir: string, b: LinuxBlockIO | undefined): void {
  if (b === undefined) return;
  // CFQ's files are gone from kernels >= 5.0; BFQ's take their place
  const cfq = existsSync(join(dir, 'blkio.weight'));
  const weightFile = cfq ? 'blkio.weight' : 'blkio.bfq.weight';
  const weightDeviceFile = cfq ? 'blkio.weight_device' : 'blkio.bfq.weight_device';
  if ((b.weight ?? 0) !== 0) writeCgroupFile(C, dir, weightFile, String(b.weight));
  if ((b.leafWeight ?? 0) !== 0) writeCgroupFile(C, dir, 'blkio.leaf_weight', String(b.leafWeight));
  for (const wd of b.weightDevice ?? []) {
    if ((wd.weight ?? 0) !== 0) writeCgroupFile(C, dir, weightDeviceFile, deviceValueLine(wd, wd.weight ?? 0));
    if ((wd.leafWeight ?? 0) !== 0) writeCgroupFile(C, dir, 'blkio.leaf_weight_device', deviceValueLine(wd, wd.leafWeight ?? 0));
  }
  for (const kind of THROTTLE_KINDS) {
    for (const td of b[kind] ?? []) writeCgroupFile(C, dir, THROTTLE_FILES[kind], deviceValueLine(td, td.rate ?? 0));
  }
}

type Target = keyof Omit<BlkioStats, 'psi'>;

/**
 * Groups of stat files, tried in order; the first group whose first file has entries wins (BFQ
 * with debug files, BFQ, CFQ, the throttle layer's recursive files, then its flat ones), as in runc.
 */
const STAT_GROUPS: ReadonlyArray<ReadonlyArray<readonly [string, Target]>> = [
  [
    ['blkio.bfq.sectors_recursive', 'sectorsRecursive'],
    ['blkio.bfq.io_service_time_recursive', 'ioServiceTimeRecursive'],
    ['blkio.bfq.io_wait_time_recursive', 'ioWaitTimeRecursive'],
    ['blkio.bfq.io_merged_recursive', 'ioMergedRecursive'],
    ['blkio.bfq.io_queued_recursive', 'ioQueuedRecursive'],
    ['blkio.bfq.time_recursive', 'ioTimeRecursive'],
    ['blkio.bfq.io_serviced_recursive', 'ioServicedRecursive'],
    ['blkio.bfq.io_service_bytes_recursive', 'ioServiceBytesRecursive'],
  ],
  [
    ['blkio.bfq.io_serviced_recursive', 'ioServicedRecursive'],
    ['blkio.bfq.io_service_bytes_recursive', 'ioServiceBytesRecursive'],
  ],
  [
    ['blkio.sectors_recursive', 'sectorsRecursive'],
    ['blkio.io_service_time_recursive', 'ioServiceTimeRecursive'],
    ['blkio.io_wait_time_recursive', 'ioWaitTimeRecursive'],
    ['blkio.io_merged_recursive', 'ioMergedRecursive'],
    ['blkio.io_queued_recursive', 'ioQueuedRecursive'],
    ['blkio.time_recursive', 'ioTimeRecursive'],
    ['blkio.io_serviced_recursive', 'ioServicedRecursive'],
    ['blkio.io_service_bytes_recursive', 'ioServiceBytesRecursive'],
  ],
  [
    ['blkio.throttle.io_serviced_recursive', 'ioServicedRecursive'],
    ['blkio.throttle.io_service_bytes_recursive', 'ioServiceBytesRecursive'],
  ],
  [
    ['blkio.throttle.io_serviced', 'ioServicedRecursive'],
    ['blkio.throttle.io_service_bytes', 'ioServiceBytesRecursive'],
  ],
];

export function blkioStatsV1(dir: string, stats: CgroupStats): void {
  for (const group of STAT_GROUPS) {
    for (const [index, [file, target]] of group.entries()) {
      const entries = readBlkioStat(dir, file);
      // a group whose first file is missing or empty is not this kernel's: try the next one
      if (entries === undefined) {
        if (index === 0) break;
        return;
      }
      stats.blkio[target] = entries;
      if (index === group.length - 1) return;
    }
  }
}

/**
 * "8:0 Read 1282048" / "8:0 6792" lines ("Total N" lines skipped); undefined when the file is
 * missing or has no entries.
 */
export function parseBlkioStat(text: string, where: string): BlkioStatEntry[] | undefined {
  const entries: BlkioStatEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(/[ :]/).filter((f) => f !== '');
    if (fields.length < 3) {
      if (fields.length === 2 && fields[0] === 'Total') continue;
      throw new OrchError('system', `${where}: malformed line ${JSON.stringify(line)}`);
    }
    const op = fields.length === 4 ? (fields[2] ?? '') : '';
    entries.push({
      major: parseCgroupUint(fields[0] ?? '', where),
      minor: parseCgroupUint(fields[1] ?? '', where),
      op,
      value: parseCgroupUint(fields[fields.length === 4 ? 3 : 2] ?? '', where),
    });
  }
  return entries.length === 0 ? undefined : entries;
}

function readBlkioStat(dir: string, file: string): BlkioStatEntry[] | undefined {
  const text = readCgroupFileIfExists(C, dir, file);
  return text === undefined ? undefined : parseBlkioStat(text, join(dir, file));
}
