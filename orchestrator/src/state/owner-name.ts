import { readFileSync } from 'node:fs';

/** uid -> user name from /etc/passwd text. */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name === undefined || uid === undefined || name.startsWith('#') || !/^\d+$/.test(uid)) continue;
    // the first entry for a uid wins, as getpwuid returns it
    if (!names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}

/**
 * `list`'s OWNER column: runc looks the state dir's uid up in /etc/passwd and shows "#<uid>"
 * when it is not there. Returns a lookup reading the file once.
 */
export function ownerNames(passwdPath = '/etc/passwd'): (uid: number) => string {
  let names: Map<number, string> | undefined;
  return (uid) => {
    if (names === undefined) {
      try {
        names = parsePasswd(readFileSync(passwdPath, 'utf8'));
      } catch {
        names = new Map();
      }
    }
    return names.get(uid) ?? `#${uid}`;
  };
}
