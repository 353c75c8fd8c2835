import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBundle } from '../support/bundle.js';
import { makeRoot } from '../support/orch-cli.js';
import { canRunContainers } from '../cgroups/container-support.js';

// What `npm pack` makes, installed into a fresh project as another project would install it: no
// compiler, no environment variable, the helper found inside the package.
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const maybe = canRunContainers ? test.serial : test.serial.skip;

maybe('the packed tarball, installed into a new project, runs a container through `import { run } from "orch"`', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'orch-pack-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!tarball) return t.fail('npm pack made no tarball');
  const project = join(work, 'service');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-service', version: '1.0.0', type: 'module', private: true }));
  const installed = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], { cwd: project, encoding: 'utf8' });
  t.is(installed.status, 0, installed.stderr);

  writeFileSync(
    join(project, 'main.js'),
    `import { run } from 'orch';
const [bundle, root] = process.argv.slice(2);
const c = await run({ id: 'from-the-package', bundle, root, stdio: 'pipe' });
let out = '';
c.stdout.setEncoding('utf8').on('data', (d) => (out += d));
const exit = await c.wait();
await c.delete();
console.log(JSON.stringify({ out, exit }));
`,
  );
  const env = { ...process.env };
  delete env['ORCH_INIT_HELPER'];
  const bundle = makeBundle(['sh', '-c', 'echo packaged; exit 2']);
  const ran = spawnSync(process.execPath, ['main.js', bundle.dir, makeRoot()], { cwd: project, env, encoding: 'utf8' });
  t.is(ran.status, 0, ran.stderr);
  t.deepEqual(JSON.parse(ran.stdout), { out: 'packaged\n', exit: { code: 2, signal: null } });

  const npx = spawnSync('npx', ['--no-install', 'orch', '--version'], { cwd: project, env, encoding: 'utf8' });
  t.is(npx.status, 0, npx.stderr);
  t.regex(npx.stdout, /orch version/);
});
