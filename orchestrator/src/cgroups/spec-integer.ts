/**
 * Integers from config.json (or `update -r`) as the text a cgroup file takes. JSON numbers arrive
 * as doubles, so a value near 2^63 (a common "unlimited") may have rounded to just outside the
 * Go type's range: it is clamped back to the type's bound, and printed in full, never as 9.2e18.
 */
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

export function int64Text(n: number): string {
  return clamp(BigInt(Math.trunc(n)), INT64_MIN, INT64_MAX).toString();
}

export function uint64Text(n: number): string {
  return clamp(BigInt(Math.trunc(n)), 0n, UINT64_MAX).toString();
}

function clamp(n: bigint, min: bigint, max: bigint): bigint {
  return n < min ? min : n > max ? max : n;
}
