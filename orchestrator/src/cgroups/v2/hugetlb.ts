import { existsSync } from 'node:fs';
import type { LinuxHugepageLimit } from '../../config/spec-types.js';
import { hasErrno, writeCgroupFile } from '../cgroup-file.js';
import { readCgroupUint, readValueByKey } from '../cgroup-values.js';
import { hugePageSizes } from '../hugepage-sizes.js';
import { uint64Text } from '../spec-integer.js';
import type { CgroupStats } from '../stats/cgroup-stats.js';

/** The v2 hugetlb controller: hugetlb.<size>.max (and .rsvd.max) and stats. */

const C = 'hugetlb';

export function setHugetlbV2(dir: string, limits: readonly LinuxHugepageLimit[] | undefined): void {
  let rsvd = true;
  for (const { pageSize, limit } of limits ?? []) {
    const value = uint64Text(limit);
    writeCgroupFile(C, dir, `hugetlb.${pageSize}.max`, value);
    if (!rsvd) continue;
    // reservations (kernel >= 5.7) get the same limit, so a reserved mapping cannot get past it
    try {
      writeCgroupFile(C, dir, `hugetlb.${pageSize}.rsvd.max`, value);
    } catch (err) {
      if (!hasErrno(err, 'ENOENT')) throw err;
      rsvd = false;
    }
  }
}

/** usage (of reservations where the kernel has them) and the "max" event count as failcnt. */
export function hugetlbStatsV2(dir: string, stats: CgroupStats): void {
  if (!existsSync(dir)) return;
  let rsvd = '.rsvd';
  for (const size of hugePageSizes()) {
    const prefix = `hugetlb.${size}`;
    let usage: bigint;
    try {
      usage = readCgroupUint(C, dir, `${prefix}${rsvd}.current`);
    } catch (err) {
      if (rsvd === '' || !hasErrno(err, 'ENOENT')) throw err;
      rsvd = '';
      usage = readCgroupUint(C, dir, `${prefix}.current`);
    }
    stats.hugetlb.set(size, { usage, maxUsage: 0n, failcnt: readValueByKey(C, dir, `${prefix}.events`, 'max') });
  }
}
