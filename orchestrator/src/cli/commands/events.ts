import { containerStats, formatEvent, streamContainerEvents } from '../../api/events.js';
import { OrchError } from '../../errors/orch-error.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'events',
  summary: 'show container events and statistics',
  argsUsage: '<container-id>',
  description:
    'Prints one JSON line per event, as runc: {"type":"stats","id":…,"data":{…}} every --interval, and\n' +
    '{"type":"oom","id":…} when the container runs out of memory; it ends when the container is gone.',
  flags: {
    interval: { kind: 'duration', usage: 'how often to collect statistics', defaultText: '5s' },
    stats: { kind: 'bool', usage: 'print the statistics once and exit' },
  },
  run: async (ctx, flags, args) => {
    exactArgs('events', args, 1);
    const target = { ...ctx.runtime, id: args[0] as string };
    const intervalMs = goDurationMs(flags.interval ?? '5s');
    if (!(intervalMs > 0)) throw new OrchError('invalid-argument', 'duration interval must be greater than 0');
    if (flags.stats) {
      ctx.io.stdout(formatEvent(containerStats(target)));
      return 0;
    }
    const stream = await streamContainerEvents({ ...target, intervalMs }, (event) => ctx.io.stdout(formatEvent(event)));
    await stream.done;
    return 0;
  },
});

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("5s", "1m30s", "250ms", "1.5h") in milliseconds; the flag parser checked the syntax. */
export function goDurationMs(text: string): number {
  if (text === '0') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const m of text.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  }
  return sign * total;
}
