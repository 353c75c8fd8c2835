/** One line of /proc/<pid>/mountinfo (proc(5)). */
export interface MountInfoEntry {
  id: number;
  parentId: number;
  /** root of the mount within its file system: for a cgroup mount, the cgroup it shows */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
  /** per-superblock options: a v1 cgroup mount's controllers are among them */
  superOptions: string[];
}

/** Parses mountinfo text; lines it cannot read are skipped (the format only grows at the end). */
export function parseMountinfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    // optional fields (shared:N, master:N …) run up to a lone "-"
    const dash = fields.indexOf('-', 6);
    if (dash < 0 || fields.length < dash + 3) continue;
    const [id, parentId, , root, mountPoint] = fields;
    if (id === undefined || parentId === undefined || root === undefined || mountPoint === undefined) continue;
    entries.push({
      id: Number(id),
      parentId: Number(parentId),
      root: unescapeOctal(root),
      mountPoint: unescapeOctal(mountPoint),
      fsType: fields[dash + 1] ?? '',
      source: unescapeOctal(fields[dash + 2] ?? ''),
      superOptions: (fields[dash + 3] ?? '').split(',').filter((o) => o !== ''),
    });
  }
  return entries;
}

/** The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
