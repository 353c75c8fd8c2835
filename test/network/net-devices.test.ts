import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { makeBundle } from '../support/bundle.js';
import { makeRoot, orch } from '../support/orch-cli.js';

// linux.netDevices with a veth end (this kernel has veth; dummy links may be missing): the link
// leaves the host, arrives renamed, up, with its permanent global addresses and without the others.
const root = makeRoot();
const canVeth = spawnSync('ip', ['link', 'add', `orchprobe${process.pid % 10000}`, 'type', 'veth', 'peer', 'name', `orchprobp${process.pid % 10000}`]).status === 0;
if (canVeth) spawnSync('ip', ['link', 'del', `orchprobe${process.pid % 10000}`]);
const maybe = canVeth ? test.serial : test.skip;

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

maybe('a host link moves into the container renamed, up, with its permanent global addresses', async (t) => {
  const host = `orchv${process.pid % 100000}`;
  const peer = `orchp${process.pid % 100000}`;
  ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
  t.teardown(() => {
    // the container's namespace took one end with it; the other goes with it or here
    spawnSync('ip', ['link', 'del', peer]);
    spawnSync('ip', ['link', 'del', host]);
  });
  ip('addr', 'add', '10.254.7.1/24', 'dev', host);
  ip('addr', 'add', 'fd00:254:7::1/64', 'dev', host, 'nodad');
  // link scope: the host's, not carried over
  ip('addr', 'add', '169.254.77.1/16', 'dev', host, 'scope', 'link');
  const bundle = makeBundle(['sh', '-c', 'ip -o link show eth7; ip -o addr show dev eth7'], (spec) => {
    spec.linux!.netDevices = { [host]: { name: 'eth7' } };
  });
  const run = orch(root, ['run', '--bundle', bundle.dir, `netdev-${process.pid}`]);
  t.is(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.regex(lines[0] ?? '', /^\d+: eth7@\S+: <[^>]*\bUP\b[^>]*>/);
  const addresses = lines.slice(1).map((line) => line.split(/\s+/)[3]);
  t.true(addresses.includes('10.254.7.1/24'), run.stdout);
  t.true(addresses.includes('fd00:254:7::1/64'), run.stdout);
  t.false(addresses.includes('169.254.77.1/16'), run.stdout);
  // it left the host; once the kernel has freed the container's namespace (asynchronously), the
  // veth pair is gone with it
  t.false(existsSync(`/sys/class/net/${host}`));
  for (let i = 0; i < 100 && existsSync(`/sys/class/net/${peer}`); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  t.false(existsSync(`/sys/class/net/${peer}`));
});

maybe('a link the host does not have is refused at create, naming it, and nothing is left', (t) => {
  const bundle = makeBundle(['true'], (spec) => {
    spec.linux!.netDevices = { orchnosuch0: { name: 'eth0' } };
  });
  const id = `netdev-missing-${process.pid}`;
  const run = orch(root, ['run', '--bundle', bundle.dir, id]);
  t.is(run.status, 1);
  t.regex(run.stderr, /linux\.netDevices\.orchnosuch0: no such network device on the host/);
  t.is(orch(root, ['state', id]).status, 1);
});

maybe('netDevices without a network namespace of the container\'s own is refused', (t) => {
  const bundle = makeBundle(['true'], (spec) => {
    spec.linux!.namespaces = spec.linux!.namespaces!.filter((ns) => ns.type !== 'network');
    spec.linux!.netDevices = { lo: {} };
  });
  const run = orch(root, ['run', '--bundle', bundle.dir, `netdev-nons-${process.pid}`]);
  t.is(run.status, 1);
  t.regex(run.stderr, /linux\.netDevices: moving devices requires a network namespace/);
});
