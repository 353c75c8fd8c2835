import type { LinuxBlockIO } from '../config/spec-types.js';
import { int64Text, uint64Text } from './spec-integer.js';

/** Per-device block IO lines as v1 blkio.* and v2 io.* files take them ("8:0 100", "8:0 rbps=100"). */

export type ThrottleKind = 'throttleReadBpsDevice' | 'throttleWriteBpsDevice' | 'throttleReadIOPSDevice' | 'throttleWriteIOPSDevice';
export type WeightDevice = NonNullable<LinuxBlockIO['weightDevice']>[number];
export type ThrottleDevice = NonNullable<LinuxBlockIO['throttleReadBpsDevice']>[number];

export const THROTTLE_KINDS: readonly ThrottleKind[] = ['throttleReadBpsDevice', 'throttleWriteBpsDevice', 'throttleReadIOPSDevice', 'throttleWriteIOPSDevice'];

export function deviceId(d: { major: number; minor: number }): string {
  return `${int64Text(d.major)}:${int64Text(d.minor)}`;
}

/** "major:minor value" (v1 weight, leaf weight and throttle files; v2 io.bfq.weight). */
export function deviceValueLine(d: { major: number; minor: number }, value: number): string {
  return `${deviceId(d)} ${uint64Text(value)}`;
}

/** "major:minor key=rate" for v2 io.max. */
export function ioMaxLine(d: ThrottleDevice, key: string): string {
  return `${deviceId(d)} ${key}=${uint64Text(d.rate ?? 0)}`;
}
