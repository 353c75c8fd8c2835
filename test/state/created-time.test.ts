import test from 'ava';
import { createdNow, formatCreated } from '../../orchestrator/src/state/created-time.js';

test('RFC3339Nano as Go prints it: trailing zeros of the fraction dropped', (t) => {
  t.is(formatCreated('2026-11-25T10:00:12.449782501Z'), '2026-11-25T10:00:12.449782501Z');
  t.is(formatCreated('2026-11-25T10:00:12.120Z'), '2026-11-25T10:00:12.12Z');
  t.is(formatCreated('2026-11-25T10:00:12.000Z'), '2026-11-25T10:00:12Z');
  t.is(formatCreated('2026-11-25T10:00:12Z'), '2026-11-25T10:00:12Z');
  t.is(formatCreated('2026-11-25T11:00:12.5+01:00'), '2026-11-25T10:00:12.5Z');
});

test('createdNow has sub-millisecond digits and parses as now', (t) => {
  const now = createdNow();
  t.regex(now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
  t.true(Math.abs(new Date(now).getTime() - Date.now()) < 5000);
});
