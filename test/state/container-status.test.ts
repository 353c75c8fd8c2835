import test from 'ava';
import { writeFileSync } from 'node:fs';
import { containerStatus, type StatusProbe } from '../../orchestrator/src/state/container-status.js';
import { readProcStat, type ProcStat } from '../../orchestrator/src/state/process-start-time.js';
import { StateStore } from '../../orchestrator/src/state/state-store.js';
import { fakeRecord, scratchDir } from './fixtures.js';

function probe(stat: ProcStat | null, { fifo = false, frozen = false } = {}): StatusProbe {
  return { procStat: () => stat, exists: () => fifo, frozen: () => frozen };
}

const alive: ProcStat = { pid: 100, comm: 'sh', state: 'S', startTime: 555 };

test('runc\'s rules, from fakes', (t) => {
  const store = new StateStore('/nonexistent');
  const record = fakeRecord('/x', { initPid: 100, initStartTime: 555 });
  t.is(containerStatus(record, store, probe(alive)), 'running');
  t.is(containerStatus(record, store, probe(alive, { fifo: true })), 'created');
  t.is(containerStatus(record, store, probe(alive, { frozen: true })), 'paused');
  t.is(containerStatus(record, store, probe(alive, { fifo: true, frozen: true })), 'paused');
  t.is(containerStatus(record, store, probe(null)), 'stopped');
  t.is(containerStatus(record, store, probe({ ...alive, state: 'Z' })), 'stopped');
  t.is(containerStatus(record, store, probe({ ...alive, state: 'X' })), 'stopped');
  t.is(containerStatus({ ...record, initPid: 0 }, store, probe(alive)), 'stopped');
  // the pid now belongs to another process: a different start time
  t.is(containerStatus(record, store, probe({ ...alive, startTime: 556 }, { fifo: true })), 'stopped');
});

test('with the real host: this process as the "init"', (t) => {
  const root = scratchDir(t);
  const store = new StateStore(root);
  store.claim('c1');
  const self = readProcStat(process.pid);
  const record = fakeRecord(root, { initPid: process.pid, initStartTime: self?.startTime ?? -1 });
  t.is(containerStatus(record, store), 'running');
  writeFileSync(store.fifoPath('c1'), '');
  t.is(containerStatus(record, store), 'created');
  // pid reuse: a live pid whose start time is not the recorded one
  t.is(containerStatus({ ...record, initStartTime: record.initStartTime + 1 }, store), 'stopped');
  t.is(containerStatus({ ...record, initPid: 2 ** 22 + 1 }, store), 'stopped');
});
