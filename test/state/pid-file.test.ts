import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePidFile } from '../../orchestrator/src/state/pid-file.js';

test('the bare pid, no newline, replacing an old file, no temp file left', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-pid-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'init.pid');
  writePidFile(path, 1234);
  t.is(readFileSync(path, 'utf8'), '1234');
  writePidFile(path, 56);
  t.is(readFileSync(path, 'utf8'), '56');
  t.deepEqual(readdirSync(dir), ['init.pid']);
  t.throws(() => writePidFile(join(dir, 'missing', 'x.pid'), 1), { message: /write pid file .*: ENOENT/ });
});
