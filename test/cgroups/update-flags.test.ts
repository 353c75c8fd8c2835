import test from 'ava';
import { parseArgs } from '../../orchestrator/src/cli/args.js';
import { ramInBytes, resourcesFromFlags, UPDATE_FLAGS } from '../../orchestrator/src/cli/update-flags.js';
import { goDurationMs } from '../../orchestrator/src/cli/commands/events.js';

const fromArgv = (argv: string[]): ReturnType<typeof resourcesFromFlags> => resourcesFromFlags(parseArgs(argv, UPDATE_FLAGS).flags);

test('sizes parse as go-units RAMInBytes (powers of 1024)', (t) => {
  t.is(ramInBytes('1024', 'memory'), 1024);
  t.is(ramInBytes('512m', 'memory'), 512 * 1024 ** 2);
  t.is(ramInBytes('1.5G', 'memory'), 1.5 * 1024 ** 3);
  t.is(ramInBytes('64 KiB', 'memory'), 64 * 1024);
  t.is(ramInBytes('10mb', 'memory'), 10 * 1024 ** 2);
  t.is(ramInBytes('7b', 'memory'), 7);
  t.throws(() => ramInBytes('abc', 'memory'), { message: "invalid value for memory: invalid size: 'abc'" });
  t.throws(() => ramInBytes('10x', 'memory'), { message: "invalid value for memory: invalid suffix: 'x'" });
  t.throws(() => ramInBytes('10kx', 'memory'), { message: "invalid value for memory: invalid suffix: 'kx'" });
});

test("every update flag maps onto the LinuxResources field runc's update sets", (t) => {
  t.deepEqual(
    fromArgv([
      '--blkio-weight', '300', '--cpu-period', '100000', '--cpu-quota', '50000', '--cpu-burst', '1000', '--cpu-share', '512',
      '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '950000', '--cpuset-cpus', '0-1', '--cpuset-mems', '0', '--memory', '64m',
      '--memory-reservation', '32m', '--memory-swap', '-1', '--cpu-idle', '1', '--pids-limit', '0', '--kernel-memory', '1m',
    ]),
    {
      blockIO: { weight: 300 },
      cpu: { cpus: '0-1', mems: '0', idle: 1, burst: 1000, period: 100000, realtimePeriod: 1000000, shares: 512, quota: 50000, realtimeRuntime: 950000 },
      memory: { limit: 64 * 1024 ** 2, swap: -1, kernel: 1024 ** 2, reservation: 32 * 1024 ** 2 },
      pids: { limit: 0 },
    },
  );
  t.deepEqual(fromArgv([]), {}, 'nothing given, nothing changes');
  t.throws(() => fromArgv(['--cpu-period', 'x']), { message: 'invalid value for cpu-period: strconv.ParseUint: parsing "x": invalid syntax' });
  t.throws(() => fromArgv(['--cpu-quota', '1.5']), { message: 'invalid value for cpu-quota: strconv.ParseInt: parsing "1.5": invalid syntax' });
  t.throws(() => fromArgv(['--cpu-share', '-2']), { message: 'invalid value for cpu-share: strconv.ParseUint: parsing "-2": invalid syntax' });
});

test('--interval takes Go durations', (t) => {
  t.is(goDurationMs('5s'), 5000);
  t.is(goDurationMs('250ms'), 250);
  t.is(goDurationMs('1m30s'), 90_000);
  t.is(goDurationMs('1.5h'), 5_400_000);
  t.is(goDurationMs('0'), 0);
});
