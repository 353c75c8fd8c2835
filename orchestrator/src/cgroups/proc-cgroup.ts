/** One line of /proc/<pid>/cgroup: "hierarchy-id:controller-list:path". */
export interface ProcCgroupEntry {
  hierarchyId: number;
  /** e.g. ["cpu", "cpuacct"], ["name=systemd"]; [] for the v2 (unified) hierarchy */
  controllers: string[];
  path: string;
}

export function parseProcCgroup(text: string): ProcCgroupEntry[] {
  const entries: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    // the path itself may contain ':', so split on the first two only
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const list = line.slice(first + 1, second);
    entries.push({
      hierarchyId: Number(line.slice(0, first)),
      controllers: list === '' ? [] : list.split(','),
      path: line.slice(second + 1),
    });
  }
  return entries;
}
