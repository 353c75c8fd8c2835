/**
 * C strings end at the first NUL: a config string holding U+0000 would reach execve, a mount or a
 * hook cut short, which is not what was validated ("safe\u0000; rm -rf /" runs as "safe"). Every
 * string and every key in the document is checked, known field or not.
 */
import { invalidConfig, type PathSegment } from './config-error.js';

export function refuseNul(value: unknown, path: PathSegment[] = []): void {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw invalidConfig(path, 'must not contain a NUL character (U+0000)');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) refuseNul(value[i], [...path, i]);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\0')) throw invalidConfig([...path, key], 'the key must not contain a NUL character (U+0000)');
    refuseNul(item, [...path, key]);
  }
}
