import { existsSync } from 'node:fs';
import type { LinuxHugepageLimit } from '../../config/spec-types.js';
import { hasErrno, writeCgroupFile } from '../cgroup-file.js';
import { readCgroupUint } from '../cgroup-values.js';
import { hugePageSizes } from '../hugepage-sizes.js';
import { uint64Text } from '../spec-integer.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v1 hugetlb controller: per page size limits (and the reservation limits) and stats. */

const C = 'hugetlb';

export function setHugetlbV1(dir: string, limits: readonly LinuxHugepageLimit[] | undefined): void {
  let rsvd = true;
  for (const { pageSize, limit } of limits ?? []) {
    const prefix = `hugetlb.${pageSize}`;
    const value = uint64Text(limit);
    writeCgroupFile(C, dir, `${prefix}.limit_in_bytes`, value);
    if (!rsvd) continue;
    // reservations (kernel >= 5.7) get the same limit, so a reserved mapping cannot get past it
    try {
      writeCgroupFile(C, dir, `${prefix}.rsvd.limit_in_bytes`, value);
    } catch (err) {
      if (!hasErrno(err, 'ENOENT')) throw err;
      rsvd = false;
    }
  }
}

export function hugetlbStatsV1(dir: string, stats: CgroupStats): void {
  if (!existsSync(dir)) return;
  let rsvd = '.rsvd';
  for (const size of hugePageSizes()) {
    let prefix = `hugetlb.${size}${rsvd}`;
    let usage: bigint;
    try {
      usage = readCgroupUint(C, dir, `${prefix}.usage_in_bytes`);
    } catch (err) {
      if (rsvd === '' || !hasErrno(err, 'ENOENT')) throw err;
      rsvd = '';
      prefix = `hugetlb.${size}`;
      usage = readCgroupUint(C, dir, `${prefix}.usage_in_bytes`);
    }
    stats.hugetlb.set(size, {
      usage,
      maxUsage: readCgroupUint(C, dir, `${prefix}.max_usage_in_bytes`),
      failcnt: readCgroupUint(C, dir, `${prefix}.failcnt`),
    });
  }
}
