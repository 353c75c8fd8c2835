import test from 'ava';
import { listenFdsCount, withListenEnv } from '../../orchestrator/src/console/socket-activation.js';
import { checkTerminal } from '../../orchestrator/src/console/check-terminal.js';

test('LISTEN_FDS counts only for the process LISTEN_PID names, and only as a positive number', (t) => {
  t.is(listenFdsCount({ LISTEN_FDS: '2', LISTEN_PID: '42' }, 42), 2);
  t.is(listenFdsCount({ LISTEN_FDS: '2', LISTEN_PID: '41' }, 42), 0);
  t.is(listenFdsCount({ LISTEN_FDS: '2' }, 42), 0);
  for (const bad of ['0', '-1', 'two', '1.5', '']) t.is(listenFdsCount({ LISTEN_FDS: bad, LISTEN_PID: '42' }, 42), 0, bad);
});

test('the container env gets LISTEN_FDS=N LISTEN_PID=1, replacing values from the config', (t) => {
  t.deepEqual(withListenEnv(['PATH=/bin', 'LISTEN_FDS=9', 'LISTEN_PID=7', 'TERM=xterm'], 2), ['PATH=/bin', 'TERM=xterm', 'LISTEN_FDS=2', 'LISTEN_PID=1']);
  t.deepEqual(withListenEnv(undefined, 1), ['LISTEN_FDS=1', 'LISTEN_PID=1']);
});

test('terminal, detach and console socket combine as runc allows', (t) => {
  t.notThrows(() => checkTerminal(true, '/s', true));
  t.notThrows(() => checkTerminal(true, undefined, false));
  t.notThrows(() => checkTerminal(false, undefined, true));
  t.throws(() => checkTerminal(true, undefined, true), { message: 'cannot allocate tty if runc will detach without setting console socket' });
  t.throws(() => checkTerminal(true, '/s', false), { message: 'cannot use console socket if runc will not detach or allocate tty' });
  t.throws(() => checkTerminal(false, '/s', true), { message: 'cannot use console socket if runc will not detach or allocate tty' });
});
