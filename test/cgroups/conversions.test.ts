import test from 'ava';
import { cpuMaxValue, cpuSharesToWeight } from '../../orchestrator/src/cgroups/v2/cpu.js';
import { blkioWeightToIoWeight } from '../../orchestrator/src/cgroups/v2/io.js';
import { swapMaxV2 } from '../../orchestrator/src/cgroups/v2/memory.js';
import { pidsLimitStat, pidsMaxValue } from '../../orchestrator/src/cgroups/pids-limit.js';
import { int64Text, uint64Text } from '../../orchestrator/src/cgroups/spec-integer.js';
import { MAX_UINT64, parseCgroupUint, parseKeyValues, valueByKey } from '../../orchestrator/src/cgroups/cgroup-values.js';
import { parseCpuList } from '../../orchestrator/src/cgroups/cpu-list.js';
import { pageSizesFromDirNames } from '../../orchestrator/src/cgroups/hugepage-sizes.js';
import { deviceValueLine, ioMaxLine } from '../../orchestrator/src/cgroups/blkio-device.js';
import { rdmaMaxLine } from '../../orchestrator/src/cgroups/rdma.js';

test('cpu shares -> cpu.weight: 1 + ((shares - 2) * 9999) / 262142, clamped, 0 unset', (t) => {
  t.is(cpuSharesToWeight(0), 0);
  t.is(cpuSharesToWeight(1), 1);
  t.is(cpuSharesToWeight(2), 1);
  t.is(cpuSharesToWeight(512), 59);
  t.is(cpuSharesToWeight(1024), 100);
  t.is(cpuSharesToWeight(262144), 10000);
  t.is(cpuSharesToWeight(10_000_000), 10000);
});

test('cpu.max is "<quota|max> <period>", period 100000 by default', (t) => {
  t.is(cpuMaxValue(50000, 100000), '50000 100000');
  t.is(cpuMaxValue(50000, 0), '50000 100000');
  t.is(cpuMaxValue(-1, 0), 'max 100000');
  t.is(cpuMaxValue(0, 20000), 'max 20000');
});

test('blkio weight -> io.weight, linear from [10, 1000] to [1, 10000]', (t) => {
  t.is(blkioWeightToIoWeight(0), 0);
  t.is(blkioWeightToIoWeight(10), 1);
  t.is(blkioWeightToIoWeight(500), 4950);
  t.is(blkioWeightToIoWeight(1000), 10000);
});

test('memory+swap -> memory.swap.max as runc converts it', (t) => {
  t.is(swapMaxV2(0, -1), -1, 'unlimited memory, swap unset: unlimited swap');
  t.is(swapMaxV2(-1, 100), -1);
  t.is(swapMaxV2(0, 100), 0, 'unset stays unset');
  t.is(swapMaxV2(300, -1), 300);
  t.is(swapMaxV2(300, 100), 200);
  t.is(swapMaxV2(100, 100), 0);
  t.throws(() => swapMaxV2(300, 0), { message: 'unable to set swap limit without memory limit' });
  t.throws(() => swapMaxV2(300, -5), { message: 'invalid memory value: -5' });
  t.throws(() => swapMaxV2(50, 100), { message: 'memory+swap limit should be >= memory limit' });
});

test('pids.max values: positive as is, 0 -> 1, negative -> max; max reads back as 0', (t) => {
  t.is(pidsMaxValue(20), '20');
  t.is(pidsMaxValue(0), '1');
  t.is(pidsMaxValue(-1), 'max');
  t.is(pidsLimitStat(MAX_UINT64), 0n);
  t.is(pidsLimitStat(20n), 20n);
});

test('spec integers print in full and clamp to their Go type', (t) => {
  t.is(int64Text(9223372036854775807), '9223372036854775807', 'rounded up to 2^63 by JSON, clamped back');
  t.is(int64Text(-1), '-1');
  t.is(int64Text(67108864), '67108864');
  t.is(uint64Text(2 ** 64), '18446744073709551615');
  t.is(uint64Text(-3), '0');
});

test('cgroup values: max, negative counters, key/value files', (t) => {
  t.is(parseCgroupUint('max\n', 'f'), MAX_UINT64);
  t.is(parseCgroupUint('18446744073709551615', 'f'), MAX_UINT64);
  t.is(parseCgroupUint('-4096', 'f'), 0n, 'kernel bugs make some counters negative');
  t.throws(() => parseCgroupUint('x', '/f'), { message: '/f: cannot parse "x" as an unsigned integer' });
  t.deepEqual(parseKeyValues('cache 4096\nrss 8192\n', 'f'), [
    ['cache', 4096n],
    ['rss', 8192n],
  ]);
  t.throws(() => parseKeyValues('bogus\n', '/m'), { message: '/m: line "bogus" is not in key value format' });
  t.is(valueByKey('low 0\noom 2\noom_kill 3\n', 'oom_kill', 'f'), 3n);
  t.is(valueByKey('low 0\n', 'oom_kill', 'f'), 0n);
});

test('cpu lists expand ranges', (t) => {
  t.deepEqual(parseCpuList('0-3,8,10-11\n', 'f'), [0, 1, 2, 3, 8, 10, 11]);
  t.throws(() => parseCpuList('\n', '/c'), { message: '/c: empty file' });
  t.throws(() => parseCpuList('3-1', '/c'), { message: '/c: the list has the backward range "3-1"' });
});

test('huge page sizes are named as the hugetlb files name them', (t) => {
  t.deepEqual(pageSizesFromDirNames(['hugepages-1048576kB', 'hugepages-2048kB', 'other', 'hugepages-64kB']), ['64KB', '2MB', '1GB']);
});

test('per-device lines', (t) => {
  t.is(deviceValueLine({ major: 8, minor: 0 }, 500), '8:0 500');
  t.is(ioMaxLine({ major: 254, minor: 0, rate: 1048576 }, 'rbps'), '254:0 rbps=1048576');
  t.is(rdmaMaxLine('mlx5_1', { hcaHandles: 3, hcaObjects: 10000 }), 'mlx5_1 hca_handle=3 hca_object=10000');
  t.is(rdmaMaxLine('mlx4_0', { hcaObjects: 5 }), 'mlx4_0 hca_object=5');
});
