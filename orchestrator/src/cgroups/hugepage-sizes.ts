import { readdirSync } from 'node:fs';

/**
 * The huge page sizes this kernel has, named as hugetlb cgroup files name them ("2MB", "1GB"),
 * from /sys/kernel/mm/hugepages/hugepages-<N>kB. [] when the kernel has no huge pages.
 */
export function hugePageSizes(): string[] {
  let names: string[];
  try {
    names = readdirSync('/sys/kernel/mm/hugepages');
  } catch {
    return [];
  }
  return pageSizesFromDirNames(names);
}

export function pageSizesFromDirNames(names: readonly string[]): string[] {
  const sizes: Array<[number, string]> = [];
  for (const name of names) {
    const m = /^hugepages-(\d+)kB$/.exec(name);
    if (!m) continue;
    const kb = Number(m[1]);
    sizes.push([kb, sizeName(kb)]);
  }
  return sizes.sort((a, b) => a[0] - b[0]).map(([, name]) => name);
}

/** The kernel's mem_fmt (mm/hugetlb_cgroup.c): the largest whole unit. */
function sizeName(kb: number): string {
  if (kb >= 1024 * 1024) return `${Math.floor(kb / (1024 * 1024))}GB`;
  if (kb >= 1024) return `${Math.floor(kb / 1024)}MB`;
  return `${kb}KB`;
}
