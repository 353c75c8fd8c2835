import test from 'ava';
import { formatColumns, formatListJson, formatListTable } from '../../orchestrator/src/cli/list-table.js';
import type { StateOutput } from '../../orchestrator/src/state/container-record.js';

const c1: StateOutput = {
  ociVersion: '1.0.2-dev',
  id: 'c1',
  pid: 6454,
  status: 'created',
  bundle: '/tmp/rb',
  rootfs: '/tmp/rb/rootfs',
  created: '2026-11-25T10:00:12.449782501Z',
  annotations: { foo: 'bar' },
  owner: 'root',
};

test('an empty list is the header alone, as runc prints it', (t) => {
  t.is(formatListTable([]), 'ID          PID         STATUS      BUNDLE      CREATED     OWNER\n');
});

test('rows align as Go tabwriter(minwidth 12, padding 3) does (captured from runc 1.1.5)', (t) => {
  t.is(
    formatListTable([c1]),
    'ID          PID         STATUS      BUNDLE      CREATED                          OWNER\n' +
      'c1          6454        created     /tmp/rb     2026-11-25T10:00:12.449782501Z   root\n',
  );
  const stopped = { ...c1, id: 'a-much-longer-container-id', pid: 0, status: 'stopped' as const };
  const lines = formatListTable([c1, stopped]).split('\n');
  t.is(lines[0]?.indexOf('PID'), 'a-much-longer-container-id'.length + 3);
  t.is(lines[1]?.indexOf('6454'), lines[0]?.indexOf('PID'));
  t.is(lines[2]?.indexOf('0 '), lines[0]?.indexOf('PID'));
});

test('the last column is not padded and widths count code points', (t) => {
  t.is(formatColumns([['a', 'b'], ['ää', 'c']], 1, 1), 'a  b\nää c\n');
});

test('json: one line, null when empty, keys in runc order', (t) => {
  t.is(formatListJson([]), 'null\n');
  t.is(
    formatListJson([c1]),
    '[{"ociVersion":"1.0.2-dev","id":"c1","pid":6454,"status":"created","bundle":"/tmp/rb","rootfs":"/tmp/rb/rootfs",' +
      '"created":"2026-11-25T10:00:12.449782501Z","annotations":{"foo":"bar"},"owner":"root"}]\n',
  );
});
