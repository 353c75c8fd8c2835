import type { StateOutput } from '../state/container-record.js';

/**
 * `list`'s table exactly as runc prints it through Go's tabwriter (minwidth 12, padding 3, spaces):
 * each column but the last is as wide as its widest cell plus 3, at least 12.
 */
export function formatListTable(states: readonly StateOutput[]): string {
  const rows = [
    ['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'],
    ...states.map((s) => [s.id, String(s.pid), s.status, s.bundle, s.created, s.owner]),
  ];
  return formatColumns(rows, 12, 3);
}

/** Go tabwriter for rows of equal length: the last cell of a row is not a column and not padded. */
export function formatColumns(rows: readonly (readonly string[])[], minWidth: number, padding: number): string {
  const columns = Math.max(0, ...rows.map((r) => r.length)) - 1;
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    widths.push(Math.max(minWidth, ...rows.map((r) => width(r[c] ?? '') + padding)));
  }
  return rows
    .map((r) => r.map((cell, c) => (c < columns ? cell + ' '.repeat((widths[c] ?? 0) - width(cell)) : cell)).join(''))
    .map((line) => `${line}\n`)
    .join('');
}

// tabwriter counts runes (code points), not UTF-16 units
function width(text: string): number {
  return [...text].length;
}

/** `list --format json`: one line, like Go's json.Encoder; runc prints null for no containers. */
export function formatListJson(states: readonly StateOutput[]): string {
  return `${JSON.stringify(states.length === 0 ? null : states)}\n`;
}
