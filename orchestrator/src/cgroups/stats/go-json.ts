/**
 * JSON text as Go's encoding/json writes it, for output clients parse as runc's: bigint numbers
 * in full (u64 counters pass 2^53), object keys in the order given (callers sort map keys, as Go
 * does), and <, >, &, U+2028, U+2029 escaped as \u003c … the way Go escapes them.
 */
export type GoJsonValue = null | boolean | number | bigint | string | readonly GoJsonValue[] | { readonly [key: string]: GoJsonValue };

export function goJson(value: GoJsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      // Go refuses NaN and ±Inf; none of orch's numbers can be one
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return goString(value);
    default:
      break;
  }
  if (isArray(value)) return `[${value.map(goJson).join(',')}]`;
  return `{${Object.entries(value)
    .map(([key, v]) => `${goString(key)}:${goJson(v)}`)
    .join(',')}}`;
}

function isArray(value: GoJsonValue): value is readonly GoJsonValue[] {
  return Array.isArray(value);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
