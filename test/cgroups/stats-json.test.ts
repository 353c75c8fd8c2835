import test from 'ava';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goJson } from '../../orchestrator/src/cgroups/stats/go-json.js';
import { statsEventData } from '../../orchestrator/src/cgroups/stats/event-data.js';
import { emptyCgroupStats } from '../../orchestrator/src/cgroups/stats/cgroup-stats.js';
import { cgroupDriver } from '../../orchestrator/src/cgroups/driver.js';
import { parseBlkioStat } from '../../orchestrator/src/cgroups/v1/blkio.js';
import { parsePsi } from '../../orchestrator/src/cgroups/v2/psi.js';
import { formatEvent } from '../../orchestrator/src/api/events.js';
import { filterPsOutput } from '../../orchestrator/src/api/ps.js';

test('Go JSON: u64 in full, <>& escaped, keys in the given order', (t) => {
  t.is(goJson({ b: 18446744073709551615n, a: [1, 0.25, 'x<y&z>'], c: null, d: true }), '{"b":18446744073709551615,"a":[1,0.25,"x\\u003cy\\u0026z\\u003e"],"c":null,"d":true}');
});

test("empty stats have runc's shape: omitempty and omitzero fields left out", (t) => {
  t.is(
    goJson(statsEventData(emptyCgroupStats())),
    '{"cpu":{},"cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":0,"sched_relax_domain_level":0},"memory":{},"pids":{},"blkio":{},"hugetlb":{},"intel_rdt":{},"network_interfaces":null}',
  );
});

test('stats fields carry runc names and sorted maps', (t) => {
  const s = emptyCgroupStats();
  s.cpu.usage = { total: 30n, percpu: [10n, 20n], percpuKernel: [], percpuUser: [], kernel: 0n, user: 5n };
  s.cpu.throttling.periods = 4n;
  s.memory.usage = { usage: 100n, maxUsage: 0n, failcnt: 0n, limit: 18446744073709551615n };
  s.memory.stats.set('rss', 1n).set('cache', 2n);
  s.pids = { current: 3n, limit: 0n };
  s.blkio.ioServiceBytesRecursive = [{ major: 8n, minor: 0n, op: 'Read', value: 0n }];
  s.hugetlb.set('2MB', { usage: 0n, maxUsage: 0n, failcnt: 1n }).set('1GB', { usage: 0n, maxUsage: 0n, failcnt: 0n });
  s.cpu.psi = { some: { avg10: 1.5, avg60: 0, avg300: 0, total: 9n }, full: { avg10: 0, avg60: 0, avg300: 0, total: 0n } };
  const json = goJson(statsEventData(s));
  t.true(json.startsWith('{"cpu":{"usage":{"total":30,"percpu":[10,20],"kernel":0,"user":5},"throttling":{"periods":4},"psi":{"some":{"avg10":1.5,"avg60":0,"avg300":0,"total":9},"full":{"avg10":0,"avg60":0,"avg300":0,"total":0}}}'), json);
  t.true(json.includes('"memory":{"usage":{"limit":18446744073709551615,"usage":100,"failcnt":0},"raw":{"cache":2,"rss":1}}'), json);
  t.true(json.includes('"pids":{"current":3}'));
  t.true(json.includes('"blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"Read"}]}'), 'minor 0 and value 0 are omitempty, as in Go');
  t.true(json.includes('"hugetlb":{"1GB":{"failcnt":0},"2MB":{"failcnt":1}}'));
});

test('events are printed as one JSON line each, oom without data', (t) => {
  t.is(formatEvent({ type: 'oom', id: 'c1' }), '{"type":"oom","id":"c1"}\n');
  t.regex(formatEvent({ type: 'stats', id: 'c1', data: statsEventData(emptyCgroupStats()) }), /^\{"type":"stats","id":"c1","data":\{"cpu":\{\},.*\}\}\n$/);
});

test('blkio stat files', (t) => {
  t.deepEqual(parseBlkioStat('8:0 Read 1282048\n8:0 Write 4096\n8:16 7\nTotal 1286144\n', 'f'), [
    { major: 8n, minor: 0n, op: 'Read', value: 1282048n },
    { major: 8n, minor: 0n, op: 'Write', value: 4096n },
    { major: 8n, minor: 16n, op: '', value: 7n },
  ]);
  t.is(parseBlkioStat('Total 0\n', 'f'), undefined, 'no entries: the next group of files is tried');
  t.throws(() => parseBlkioStat('8:0\n', '/b'), { message: '/b: malformed line "8:0"' });
});

test('PSI files', (t) => {
  t.deepEqual(parsePsi('some avg10=0.12 avg60=1.00 avg300=0.00 total=12345\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n', 'f'), {
    some: { avg10: 0.12, avg60: 1, avg300: 0, total: 12345n },
    full: { avg10: 0, avg60: 0, avg300: 0, total: 7n },
  });
});

test('v2 stats are read from the files runc reads', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-fake-cg-'));
  const files: Record<string, string> = {
    'cgroup.procs': '1\n2\n',
    'pids.current': '2\n',
    'pids.max': 'max\n',
    'memory.stat': 'anon 4096\nfile 8192\n',
    'memory.current': '12288\n',
    'memory.max': '67108864\n',
    'memory.peak': '20000\n',
    'memory.swap.current': '0\n',
    'memory.swap.max': 'max\n',
    'memory.pressure': 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
    'io.stat': '8:16 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n8:0 rbytes=1 wbytes=0 rios=1 wios=0\n',
    'cpu.stat': 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 3\nnr_throttled 1\nthrottled_usec 7\n',
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const s = cgroupDriver({ version: 2, paths: { '': dir } }).stats();
  t.deepEqual(s.pids, { current: 2n, limit: 0n });
  t.is(s.memory.cache, 8192n);
  t.deepEqual(s.memory.usage, { usage: 12288n, maxUsage: 20000n, failcnt: 0n, limit: 67108864n });
  t.deepEqual(s.memory.swapUsage, { usage: 12288n, maxUsage: 0n, failcnt: 0n, limit: 18446744073709551615n }, 'swap = memory + swap, limit max stays max');
  t.is(s.memory.psi?.some.total, 1n);
  t.deepEqual(
    s.blkio.ioServiceBytesRecursive.map((e) => `${e.major}:${e.minor} ${e.op} ${e.value}`),
    ['8:0 Read 1', '8:0 Write 0', '8:16 Read 10', '8:16 Write 20'],
  );
  t.deepEqual(s.cpu.usage, { total: 1500000n, kernel: 500000n, user: 1000000n });
  t.deepEqual(s.cpu.throttling, { periods: 3n, throttledPeriods: 1n, throttledTime: 7000n });
});

test('ps output is filtered on its PID column', (t) => {
  const out = 'UID        PID  PPID  C STIME TTY          TIME CMD\nroot         1     0  0 10:00 ?        00:00:01 init\nroot        42     1  0 10:00 ?        00:00:00 sleep 9\n';
  t.is(filterPsOutput(out, new Set([42])), 'UID        PID  PPID  C STIME TTY          TIME CMD\nroot        42     1  0 10:00 ?        00:00:00 sleep 9\n');
  t.is(filterPsOutput('  PID COMMAND\n   42 sleep\n', new Set([42])), '  PID COMMAND\n   42 sleep\n');
  t.throws(() => filterPsOutput('USER COMMAND\nroot sh\n', new Set()), { message: "couldn't find PID field in ps output" });
});
