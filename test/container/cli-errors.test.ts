import test from 'ava';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';

const root = makeRoot();

test('--log with --log-format json records errors as JSON lines with level error', (t) => {
  const bundle = makeBundle(['true'], (spec) => {
    spec.process!.cwd = 'relative';
  });
  const log = join(bundle.dir, 'log.json');
  const result = orch(root, ['--log', log, '--log-format', 'json', 'create', '--bundle', bundle.dir, 'logged']);
  t.not(result.status, 0);
  const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string; time: string });
  const last = lines.at(-1);
  t.is(last?.level, 'error');
  t.regex(last?.msg ?? '', /process\.cwd/);
  t.false(existsSync(join(root, 'logged')));
});

test('--version prints the lines containerd parses', (t) => {
  const lines = orch(root, ['--version']).stdout.trim().split('\n');
  t.regex(lines[0] ?? '', /^orch version \d+\.\d+\.\d+/);
  t.regex(lines[1] ?? '', /^commit: \S+/);
  t.regex(lines[2] ?? '', /^spec: 1\.\d+\.\d+/);
});
