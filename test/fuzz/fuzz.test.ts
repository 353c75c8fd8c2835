import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every parser of the helper under libFuzzer with ASan and UBSan, briefly (tools/fuzz.sh SECONDS
// runs them longer). A crash, a leak or undefined behaviour fails the suite, with its reproducer.
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

test('the helper\'s parsers survive a short fuzzing run each', (t) => {
  const run = spawnSync(join(repo, 'tools/fuzz.sh'), ['4'], { cwd: repo, encoding: 'utf8', timeout: 600_000 });
  t.log(run.stdout.trim());
  t.is(run.status, 0, run.stdout + run.stderr);
  const harnesses = readdirSync(join(repo, 'test/fuzz')).filter((name) => /^fuzz_\w+\.c$/.test(name));
  t.is(run.stdout.trim().split('\n').filter((line) => / ok /.test(line)).length, harnesses.length);
});
