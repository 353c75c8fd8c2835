import test from 'ava';
import { parseSignal, signalName } from '../../orchestrator/src/signals/signal-name.js';
import { OrchError } from '../../orchestrator/src/errors/orch-error.js';

test('names with or without SIG, in any case (runc uppercases)', (t) => {
  t.is(parseSignal('KILL'), 9);
  t.is(parseSignal('SIGKILL'), 9);
  t.is(parseSignal('sigterm'), 15);
  t.is(parseSignal('term'), 15);
  t.is(parseSignal('Usr1'), 10);
  t.is(parseSignal('SIGWINCH'), 28);
});

test('numbers, as text or number', (t) => {
  t.is(parseSignal('9'), 9);
  t.is(parseSignal('0'), 0);
  t.is(parseSignal(15), 15);
  t.is(parseSignal('64'), 64);
});

test('realtime signals', (t) => {
  t.is(parseSignal('RTMIN'), 34);
  t.is(parseSignal('SIGRTMIN+3'), 37);
  t.is(parseSignal('rtmax'), 64);
  t.is(parseSignal('RTMAX-2'), 62);
  t.throws(() => parseSignal('RTMIN+31'));
  t.throws(() => parseSignal('RTMIN-1'));
  t.throws(() => parseSignal('RTMAX+1'));
});

test('unknown signals: runc\'s message, naming the input as given', (t) => {
  const err = t.throws(() => parseSignal('FOO'), { instanceOf: OrchError });
  t.is(err?.message, 'unknown signal "FOO"');
  t.is(err?.code, 'invalid-argument');
  t.throws(() => parseSignal('sigusr1x'), { message: 'unknown signal "sigusr1x"' });
  t.throws(() => parseSignal('65'), { message: 'unknown signal "65"' });
  t.throws(() => parseSignal('-9'), { message: 'unknown signal "-9"' });
  t.throws(() => parseSignal(''), { message: 'unknown signal ""' });
  t.throws(() => parseSignal(1.5));
});

test('signalName', (t) => {
  t.is(signalName(9), 'SIGKILL');
  t.is(signalName(6), 'SIGABRT');
  t.is(signalName(29), 'SIGIO');
  t.is(signalName(36), 'SIGRTMIN+2');
  t.is(signalName(64), 'SIGRTMAX');
  t.is(signalName(99), '99');
});
