/**
 * The container's creation time as runc prints it: Go's RFC3339Nano in UTC, i.e. an ISO-8601 string
 * with up to nine fraction digits and trailing zeros dropped ("…T10:00:12.4497825Z", "…T10:00:12Z").
 */
export function createdNow(): string {
  // timeOrigin + now() carries microseconds where Date.now() stops at milliseconds
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  const micros = Math.floor((ms - whole) * 1000);
  const iso = new Date(whole).toISOString(); // …T10:00:12.449Z
  return formatCreated(`${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`);
}

/** Normalises a stored creation time to RFC3339Nano; other date strings go through Date. */
export function formatCreated(created: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(created);
  if (!m) {
    const date = new Date(created);
    return Number.isNaN(date.getTime()) ? created : formatCreated(date.toISOString());
  }
  const fraction = (m[2] ?? '').slice(0, 9).replace(/0+$/, '');
  return `${m[1]}${fraction ? `.${fraction}` : ''}Z`;
}
