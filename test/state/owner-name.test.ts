import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerNames, parsePasswd } from '../../orchestrator/src/state/owner-name.js';

test('passwd lines: the first entry of a uid wins; junk is skipped', (t) => {
  const names = parsePasswd('root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/:/bin/sh\n#c:x:5:5\nbad\nme:x:1000:1000::/home/me:/bin/sh\n');
  t.is(names.get(0), 'root');
  t.is(names.get(1000), 'me');
  t.is(names.size, 2);
});

test('unknown uids are shown as #uid, as runc does', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-passwd-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  const owner = ownerNames(join(dir, 'passwd'));
  t.is(owner(0), 'root');
  t.is(owner(4242), '#4242');
  t.is(ownerNames(join(dir, 'none'))(0), '#0');
});
