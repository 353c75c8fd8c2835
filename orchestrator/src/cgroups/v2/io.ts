import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LinuxBlockIO } from '../../config/spec-types.js';
import { CgroupFileError, readCgroupFile, writeCgroupFile } from '../cgroup-file.js';
import { parseCgroupUint } from '../cgroup-values.js';
import { deviceValueLine, ioMaxLine, THROTTLE_KINDS, type ThrottleKind } from '../blkio-device.js';
import type { BlkioStatEntry, CgroupStats } from '../stats/cgroup-stats.js';

/**
 * The v2 io controller (runc's fs2 setIo): the weight goes to io.bfq.weight when BFQ is there
 * (same 10..1000 range as v1), else to io.weight converted; per-device weights only through BFQ;
 * throttles to io.max. leafWeight has no v2 counterpart and is ignored, as in runc.
 */

const C = 'io';

const IO_MAX_KEYS: Record<ThrottleKind, string> = {
  throttleReadBpsDevice: 'rbps',
  throttleWriteBpsDevice: 'wbps',
  throttleReadIOPSDevice: 'riops',
  throttleWriteIOPSDevice: 'wiops',
};

/** v1 blkio weight [10, 1000] onto v2 io.weight [1, 10000], linearly: 1 + (w - 10) * 9999 / 990. */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

export function ioV2IsSet(b: LinuxBlockIO | undefined): boolean {
  return b !== undefined && ((b.weight ?? 0) !== 0 || (b.weightDevice ?? []).length > 0 || THROTTLE_KINDS.some((k) => (b[k] ?? []).length > 0));
}

export function setIoV2(dir: string, b: LinuxBlockIO | undefined): void {
  if (b === undefined || !ioV2IsSet(b)) return;
  const weight = b.weight ?? 0;
  const bfq = weight !== 0 || (b.weightDevice ?? []).length > 0 ? openBfq(dir) : undefined;
  try {
    if (weight !== 0) {
      if (bfq !== undefined) bfqWrite(bfq, String(weight));
      else writeCgroupFile(C, dir, 'io.weight', String(blkioWeightToIoWeight(weight)));
    }
    if (bfq !== undefined && bfqTakesDevices(bfq)) {
      for (const wd of b.weightDevice ?? []) bfqWrite(bfq, `${deviceValueLine(wd, wd.weight ?? 0)}\n`);
    }
  } finally {
    if (bfq !== undefined) closeSync(bfq.fd);
  }
  for (const kind of THROTTLE_KINDS) {
    for (const td of b[kind] ?? []) writeCgroupFile(C, dir, 'io.max', ioMaxLine(td, IO_MAX_KEYS[kind]));
  }
}

interface BfqFile {
  fd: number;
  path: string;
}

function openBfq(dir: string): BfqFile | undefined {
  const path = join(dir, 'io.bfq.weight');
  try {
    return { fd: openSync(path, constants.O_RDWR), path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CgroupFileError(C, 'open', path, err);
  }
}

function bfqWrite(bfq: BfqFile, text: string): void {
  try {
    writeSync(bfq.fd, text);
  } catch (err) {
    throw new CgroupFileError(C, 'write', bfq.path, err);
  }
}

/** Kernels >= 5.4 show "default 100" (and take "major:minor weight"); older ones a bare number. */
function bfqTakesDevices(bfq: BfqFile): boolean {
  const buf = Buffer.alloc(32);
  let n = 0;
  try {
    n = readSync(bfq.fd, buf, 0, buf.length, 0);
  } catch {
    return false;
  }
  return !/^\s*-?\d+\s*$/.test(buf.subarray(0, n).toString('utf8'));
}

/** io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 …" lines as v1's Read/Write entries. */
export function ioStatsV2(dir: string, stats: CgroupStats): void {
  const where = join(dir, 'io.stat');
  const bytes: BlkioStatEntry[] = [];
  const ios: BlkioStatEntry[] = [];
  const lines = readCgroupFile(C, dir, 'io.stat')
    .split('\n')
    .map((l) => l.split(/\s+/).filter((f) => f !== ''))
    .filter((f) => f.length >= 2)
    // runc walks a Go map here (random order); sorted by device it is at least stable
    .sort((a, b) => deviceOrder(a[0] ?? '', b[0] ?? ''));
  for (const [device, ...items] of lines) {
    const d = (device ?? '').split(':');
    if (d.length !== 2) continue;
    const major = parseCgroupUint(d[0] ?? '', where);
    const minor = parseCgroupUint(d[1] ?? '', where);
    for (const item of items) {
      const kv = item.split('=');
      if (kv.length !== 2) continue;
      const [key, raw] = kv as [string, string];
      const entry = (op: string): BlkioStatEntry => ({ major, minor, op, value: parseCgroupUint(raw, where) });
      if (key === 'rbytes') bytes.push(entry('Read'));
      else if (key === 'wbytes') bytes.push(entry('Write'));
      else if (key === 'rios') ios.push(entry('Read'));
      else if (key === 'wios') ios.push(entry('Write'));
      // io.cost's entries have no field in runc's types.Blkio: dropped there too
    }
  }
  stats.blkio.ioServiceBytesRecursive = bytes;
  stats.blkio.ioServicedRecursive = ios;
}

function deviceOrder(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(':').map(Number);
  const [bm = 0, bn = 0] = b.split(':').map(Number);
  return am - bm || an - bn;
}
