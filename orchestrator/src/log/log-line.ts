/**
 * One log line in the shapes runc's logrus writes, because clients read them: containerd's shim
 * takes the last {"level":"error","msg":…} line of --log; humans see logrus' text format.
 */
export type LogFormat = 'text' | 'json';
/** logrus' level names ("warning", not "warn"). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  level: LogLevel;
  msg: string;
  time: Date;
  /** extra key/values, e.g. {error: "EBUSY"} */
  fields?: Readonly<Record<string, string | number | boolean>>;
}

/** A line without its trailing newline. */
export function formatLogLine(format: LogFormat, entry: LogEntry): string {
  const fields: Record<string, string | number | boolean> = {
    ...entry.fields,
    level: entry.level,
    msg: entry.msg,
    time: rfc3339(entry.time),
  };
  if (format === 'json') {
    // logrus' JSONFormatter marshals a Go map: keys come out sorted
    const sorted: Record<string, string | number | boolean> = {};
    for (const key of Object.keys(fields).sort()) sorted[key] = fields[key] as string | number | boolean;
    return JSON.stringify(sorted);
  }
  // logrus' TextFormatter: time, level, msg first, then the other fields sorted
  const rest = Object.keys(entry.fields ?? {}).sort();
  return ['time', 'level', 'msg', ...rest].map((key) => `${key}=${textValue(fields[key] ?? '')}`).join(' ');
}

/** Go's time.RFC3339 in local time: seconds precision, "Z" for a zero offset. */
export function rfc3339(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const offsetMin = -date.getTimezoneOffset();
  const zone =
    offsetMin === 0
      ? 'Z'
      : `${offsetMin > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`
  );
}

function textValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[A-Za-z0-9\-._/@^+]+$/.test(text) ? text : goQuote(text);
}

/** Go's strconv.Quote for the characters log messages carry. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else out += ch;
    }
  }
  return `${out}"`;
}
