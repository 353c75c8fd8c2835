/**
 * Hex digits for the names of temp and lock-contender files. They only have to differ between
 * writers (every such file is created with O_EXCL, and the pid is part of the lock names), not be
 * secret, so Math.random does: node:crypto would add ~5 ms of module loading to every orch call.
 */
export function randomHex(digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}
