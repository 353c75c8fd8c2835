import test from 'ava';
import { formatLogLine, goQuote, rfc3339 } from '../../orchestrator/src/log/log-line.js';
import { Logger } from '../../orchestrator/src/log/logger.js';

const time = new Date('2026-11-25T10:00:35Z');

test('json lines as logrus writes them: sorted keys, RFC3339 time', (t) => {
  const line = formatLogLine('json', { level: 'error', msg: 'container does not exist', time });
  t.regex(line, /^\{"level":"error","msg":"container does not exist","time":"2026-11-25T\d\d:\d\d:35(Z|[+-]\d\d:\d\d)"\}$/);
  const withField = formatLogLine('json', { level: 'warning', msg: 'm', time, fields: { error: 'EBUSY' } });
  t.true(withField.startsWith('{"error":"EBUSY","level":"warning","msg":"m","time":'));
});

test('text lines as logrus writes them: quoted only when needed', (t) => {
  const line = formatLogLine('text', { level: 'error', msg: 'runc: "start" requires exactly 1 argument(s)', time });
  t.regex(line, /^time="[^"]+" level=error msg="runc: \\"start\\" requires exactly 1 argument\(s\)"$/);
  t.regex(formatLogLine('text', { level: 'info', msg: 'plain', time }), / level=info msg=plain$/);
  t.regex(formatLogLine('text', { level: 'debug', msg: 'x', time, fields: { pid: 5 } }), / msg=x pid=5$/);
});

test('goQuote escapes as strconv.Quote', (t) => {
  t.is(goQuote('a"b\\c\nd\te\x01'), '"a\\"b\\\\c\\nd\\te\\x01"');
  t.is(goQuote('ünïcode'), '"ünïcode"');
});

test('rfc3339 carries the local offset, Z for zero', (t) => {
  t.regex(rfc3339(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
});

test('the logger drops debug lines unless --debug', (t) => {
  const lines: string[] = [];
  const quiet = new Logger({ writeStderr: (s) => lines.push(s) });
  quiet.debug('hidden');
  quiet.info('shown');
  t.is(lines.length, 1);
  const loud = new Logger({ debug: true, writeStderr: (s) => lines.push(s) });
  loud.debug('shown too');
  t.is(lines.length, 2);
  t.true(quiet.toStderr);
  t.false(new Logger({ file: '/dev/null' }).toStderr);
  t.false(new Logger({ silent: true }).toStderr);
});
