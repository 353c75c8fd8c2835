import test from 'ava';
import { parseArgs, type FlagTable } from '../../orchestrator/src/cli/args.js';
import { OrchError } from '../../orchestrator/src/errors/orch-error.js';

const FLAGS = {
  bundle: { kind: 'string', alias: 'b', usage: '' },
  detach: { kind: 'bool', alias: 'd', usage: '' },
  'preserve-fds': { kind: 'int', usage: '' },
  env: { kind: 'strings', alias: 'e', usage: '' },
  gids: { kind: 'ints', alias: 'g', usage: '' },
  interval: { kind: 'duration', usage: '' },
} as const satisfies FlagTable;

test('values: --flag value, --flag=value, -f value, single-dash long names', (t) => {
  t.is(parseArgs(['--bundle', '/b', 'c1'], FLAGS).flags.bundle, '/b');
  t.is(parseArgs(['--bundle=/b', 'c1'], FLAGS).flags.bundle, '/b');
  t.is(parseArgs(['-b', '/b', 'c1'], FLAGS).flags.bundle, '/b');
  t.is(parseArgs(['-b=/b', 'c1'], FLAGS).flags.bundle, '/b');
  t.is(parseArgs(['-bundle', '/b', 'c1'], FLAGS).flags.bundle, '/b');
  t.deepEqual(parseArgs(['-bundle', '/b', 'c1'], FLAGS).args, ['c1']);
});

test('a value flag takes the next word whatever it looks like, as Go does', (t) => {
  t.is(parseArgs(['--bundle', '-x'], FLAGS).flags.bundle, '-x');
  t.is(parseArgs(['--bundle', '-'], FLAGS).flags.bundle, '-');
  t.is(parseArgs(['--bundle='], FLAGS).flags.bundle, '');
});

test('booleans: present is true; only =value sets them otherwise', (t) => {
  t.false(parseArgs([], FLAGS).flags.detach);
  t.true(parseArgs(['-d'], FLAGS).flags.detach);
  t.true(parseArgs(['--detach=true'], FLAGS).flags.detach);
  t.false(parseArgs(['--detach=false'], FLAGS).flags.detach);
  t.true(parseArgs(['-d=1'], FLAGS).flags.detach);
  const parsed = parseArgs(['-d', 'false'], FLAGS);
  t.true(parsed.flags.detach);
  t.deepEqual(parsed.args, ['false']);
  t.throws(() => parseArgs(['--detach=maybe'], FLAGS), { message: 'invalid boolean value "maybe" for -detach: parse error' });
});

test('ints, slices and durations', (t) => {
  t.is(parseArgs(['--preserve-fds', '3'], FLAGS).flags['preserve-fds'], 3);
  t.is(parseArgs([], FLAGS).flags['preserve-fds'], undefined);
  t.throws(() => parseArgs(['--preserve-fds', 'x'], FLAGS), { message: 'invalid value "x" for flag -preserve-fds: parse error' });
  t.throws(() => parseArgs(['--preserve-fds=1.5'], FLAGS), { message: 'invalid value "1.5" for flag -preserve-fds: parse error' });
  t.deepEqual(parseArgs(['-e', 'A=1', '--env=B=2'], FLAGS).flags.env, ['A=1', 'B=2']);
  t.deepEqual(parseArgs(['-g', '1,2', '-g', '3'], FLAGS).flags.gids, [1, 2, 3]);
  t.is(parseArgs(['--interval', '1m30s'], FLAGS).flags.interval, '1m30s');
  t.throws(() => parseArgs(['--interval', '5 seconds'], FLAGS), { message: /invalid value "5 seconds" for flag -interval/ });
});

test('unknown flags are errors that name the flag, as Go prints them', (t) => {
  const err = t.throws(() => parseArgs(['--bogus', 'c1'], FLAGS), { instanceOf: OrchError });
  t.is(err?.message, 'flag provided but not defined: -bogus');
  t.is(err?.code, 'invalid-argument');
  t.throws(() => parseArgs(['c1', '-x=1'], FLAGS), { message: 'flag provided but not defined: -x' });
});

test('missing values and bad syntax', (t) => {
  t.throws(() => parseArgs(['c1', '--bundle'], FLAGS), { message: 'flag needs an argument: -bundle' });
  t.throws(() => parseArgs(['---bundle', 'x'], FLAGS), { message: 'bad flag syntax: ---bundle' });
  t.throws(() => parseArgs(['-=x'], FLAGS), { message: 'bad flag syntax: -=x' });
});

test('interspersed: flags after arguments count (urfave/cli reorders them)', (t) => {
  const parsed = parseArgs(['c1', '--bundle', '/b', 'KILL', '-d'], FLAGS);
  t.deepEqual(parsed.args, ['c1', 'KILL']);
  t.is(parsed.flags.bundle, '/b');
  t.true(parsed.flags.detach);
});

test('"--" ends the flags and "-" is an argument', (t) => {
  t.deepEqual(parseArgs(['-d', '--', '-b', 'x'], FLAGS).args, ['-b', 'x']);
  t.is(parseArgs(['-d', '--', '-b', 'x'], FLAGS).flags.bundle, undefined);
  t.deepEqual(parseArgs(['-'], FLAGS).args, ['-']);
});

test('leading: flags stop at the first argument (global flags, exec)', (t) => {
  const parsed = parseArgs(['-d', 'c1', 'ls', '-la', '--bundle', 'x'], FLAGS, 'leading');
  t.true(parsed.flags.detach);
  t.deepEqual(parsed.args, ['c1', 'ls', '-la', '--bundle', 'x']);
  t.is(parsed.flags.bundle, undefined);
  t.throws(() => parseArgs(['--nope', 'list'], FLAGS, 'leading'), { message: 'flag provided but not defined: -nope' });
});

test('-h/--help are recognised unless the table defines them', (t) => {
  t.true(parseArgs(['c1', '--help'], FLAGS).help);
  t.true(parseArgs(['-h'], FLAGS).help);
  t.false(parseArgs(['c1'], FLAGS).help);
  const own = { help: { kind: 'bool', alias: 'h', usage: '' } } as const satisfies FlagTable;
  const parsed = parseArgs(['-h'], own);
  t.false(parsed.help);
  t.true(parsed.flags.help);
});
