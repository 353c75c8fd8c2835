import test from 'ava';
import { mergeResourceUpdate } from '../../orchestrator/src/cgroups/update-merge.js';
import { parseResources } from '../../orchestrator/src/api/update.js';

test("update merges as runc: given fields replace, devices update in place, quota/period pair up", (t) => {
  const current = {
    devices: [{ allow: false, access: 'rwm' }],
    memory: { limit: 100, swap: 200, swappiness: 10 },
    cpu: { shares: 1024, quota: 50000, period: 100000, cpus: '0', idle: 0, burst: 10 },
    pids: { limit: 5 },
    blockIO: { weight: 100, weightDevice: [{ major: 8, minor: 0, weight: 10 }], throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1 }] },
    hugepageLimits: [{ pageSize: '2MB', limit: 0 }],
  };
  const merged = mergeResourceUpdate(current, {
    memory: { limit: 300 },
    cpu: { period: 200000 },
    blockIO: { weightDevice: [{ major: 8, minor: 0, leafWeight: 20 }, { major: 8, minor: 16, weight: 30 }], throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 7 }] },
  });
  t.deepEqual(merged.memory, { limit: 300, swap: 200, swappiness: 10, checkBeforeUpdate: false });
  t.deepEqual(merged.cpu, { shares: 1024, quota: 50000, period: 200000 }, 'quota kept when only the period is given; cpus, idle, burst taken as given (absent)');
  t.is(merged.pids, undefined, 'the pids limit is taken as given');
  t.deepEqual(merged.blockIO, {
    weight: 100,
    weightDevice: [
      { major: 8, minor: 0, weight: 10, leafWeight: 20 },
      { major: 8, minor: 16, weight: 30 },
    ],
    throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 7 }],
  });
  t.deepEqual(merged.devices, current.devices, 'devices are never updated');
  t.deepEqual(merged.hugepageLimits, current.hugepageLimits);
  t.deepEqual(current.memory, { limit: 100, swap: 200, swappiness: 10 }, 'the input is not changed');

  t.deepEqual(mergeResourceUpdate(current, { cpu: { quota: 1, period: 2 } }).cpu, { shares: 1024, quota: 1, period: 2 });
  t.deepEqual(mergeResourceUpdate(current, {}).cpu, { shares: 1024, quota: 0, period: 0 }, 'neither given: both unset, the kernel keeps its values');
  t.deepEqual(mergeResourceUpdate({}, { memory: { limit: -1 } }).memory, { limit: -1, swap: 0, checkBeforeUpdate: false }, 'unlimited memory: swap left alone');
  t.deepEqual(mergeResourceUpdate({}, { cpu: { idle: 1 } }).cpu, { quota: 0, period: 0, shares: 0, idle: 1 }, 'idle alone writes no weight');
});

test('update -r JSON is checked against the schema, fields named', (t) => {
  t.deepEqual(parseResources('{"memory":{"limit":1000},"pids":{"limit":3}}', 'r.json'), { memory: { limit: 1000 }, pids: { limit: 3 } });
  t.throws(() => parseResources('{"memory":{"limit":"x"}}', 'r.json'), { message: 'r.json: memory.limit: must be integer' });
  t.throws(() => parseResources('{"pids":{}}', 'r.json'), { message: 'r.json: pids.limit: is required' });
  t.throws(() => parseResources('[1]', 'r.json'), { message: 'r.json: expected a JSON object of resources' });
  t.throws(() => parseResources('{', 'r.json'), { message: /^r\.json: invalid JSON/ });
});
