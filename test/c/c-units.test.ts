import test from 'ava';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

test('the helper\'s C unit tests pass (ctest: parsers, bootstrap message, paths inside a root, device filter)', (t) => {
  const run = spawnSync('ctest', ['--test-dir', join(repo, 'build/native'), '--output-on-failure'], { encoding: 'utf8' });
  t.is(run.status, 0, run.stdout + run.stderr);
  t.regex(run.stdout, /100% tests passed/);
});
