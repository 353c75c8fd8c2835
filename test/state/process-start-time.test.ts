import test from 'ava';
import { parseProcStat, readProcStat, readProcessStartTime } from '../../orchestrator/src/state/process-start-time.js';

const tail = 'S 1 2 3 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 46707 1000 100 18446744073709551615';

test('field 22 is the start time', (t) => {
  const stat = parseProcStat(`6454 (sleep) ${tail}`);
  t.deepEqual(stat, { pid: 6454, comm: 'sleep', state: 'S', startTime: 46707 });
});

test('comm may hold spaces and parentheses', (t) => {
  const stat = parseProcStat(`42 (a) b (c) d) ${tail}`);
  t.is(stat.comm, 'a) b (c) d');
  t.is(stat.state, 'S');
  t.is(stat.startTime, 46707);
});

test('malformed lines are refused', (t) => {
  t.throws(() => parseProcStat('42 sleep S 1'));
  t.throws(() => parseProcStat('42 (sleep) S 1 2'));
});

test('this process', (t) => {
  const stat = readProcStat(process.pid);
  if (stat === null) return t.fail('no /proc entry for this process');
  t.is(stat.pid, process.pid);
  t.is(readProcessStartTime(process.pid), stat.startTime);
  t.is(readProcStat(2 ** 22 + 1), null);
  t.throws(() => readProcessStartTime(2 ** 22 + 1), { message: /ESRCH/ });
});
