import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Seccomp } from '../../orchestrator/src/config/spec-types.js';
import { probeResults, runScript, tool } from './helpers/containers.js';

const EDQUOT = 122;

interface Agent {
  socket: string;
  stateFile: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/** test/security/tools/seccomp-agent on a fresh socket, answering every notification with -errno. */
async function startAgent(errno: number): Promise<Agent> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-agent-'));
  const socket = join(dir, 'agent.sock');
  const stateFile = join(dir, 'state.json');
  const child = spawn(tool('seccomp-agent'), [socket, stateFile, String(errno)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !existsSync(socket); i++) await sleep(10);
  return { socket, stateFile, process: child, exited };
}

const notifyProfile = (socket: string, extra: Partial<Seccomp> = {}): Seccomp => ({
  defaultAction: 'SCMP_ACT_ALLOW',
  listenerPath: socket,
  listenerMetadata: 'orch-test-metadata',
  syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }],
  ...extra,
});

for (const noNewPrivileges of [true, false]) {
  test(`SCMP_ACT_NOTIFY hands the listener fd and the container state to the agent (noNewPrivileges ${noNewPrivileges})`, async (t) => {
    const agent = await startAgent(EDQUOT);
    t.teardown(() => agent.process.kill('SIGKILL'));
    const result = runScript('syscall-probe mkdir uname', (spec) => {
      spec.process!.noNewPrivileges = noNewPrivileges;
      spec.annotations = { 'org.example/purpose': 'notify test' };
      spec.linux!.seccomp = notifyProfile(agent.socket);
    });
    t.is(result.status, 0, result.stderr);
    // the agent answered mkdir; the other calls never reached it
    t.deepEqual(probeResults(result.stdout), { mkdir: 'EDQUOT', uname: 'ok' });
    const state = JSON.parse(readFileSync(agent.stateFile, 'utf8')) as Record<string, unknown> & { state: Record<string, unknown> };
    t.like(state, {
      fds: ['seccompFd'],
      metadata: 'orch-test-metadata',
      state: { id: result.id, status: 'creating', bundle: result.bundle.dir, annotations: { 'org.example/purpose': 'notify test' } },
    });
    t.is(typeof state['ociVersion'], 'string');
    t.true(Number.isInteger(state['pid']) && (state['pid'] as number) > 1);
    t.is(state.state['pid'], state['pid']);
    // once every process under the filter is gone the listener hangs up and the agent ends
    t.is(await agent.exited, 0);
  });
}

test('a notify rule without listenerPath fails create before anything runs', (t) => {
  const result = runScript('true', (spec) => {
    const { listenerPath: _none, ...profile } = notifyProfile('/nowhere');
    spec.linux!.seccomp = profile;
  });
  t.is(result.status, 1);
  t.regex(result.stderr, /linux\.seccomp\.listenerPath: must be set when a rule uses SCMP_ACT_NOTIFY/);
});

test('an agent socket nobody listens on fails create with runc-like words', (t) => {
  const socket = join(mkdtempSync(join(tmpdir(), 'orch-agent-')), 'absent.sock');
  const result = runScript('true', (spec) => {
    spec.linux!.seccomp = notifyProfile(socket);
  });
  t.is(result.status, 1);
  t.regex(result.stderr, /failed to connect with seccomp agent specified in the seccomp profile: .*absent\.sock: ENOENT/);
});

test('notify as the default action, or on sendmsg (the handoff itself), is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-agent-'));
  const socket = join(dir, 'plain.sock');
  // a listener that only accepts: the init refuses before it would send anything
  const server = createServer((conn) => conn.resume());
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => server.close());

  const asDefault = runScript('true', (spec) => {
    spec.linux!.seccomp = { defaultAction: 'SCMP_ACT_NOTIFY', listenerPath: socket };
  });
  t.is(asDefault.status, 1);
  t.regex(asDefault.stderr, /SCMP_ACT_NOTIFY cannot be used as the default action/);

  const onSendmsg = runScript('true', (spec) => {
    spec.linux!.seccomp = notifyProfile(socket, { syscalls: [{ names: ['mkdir', 'sendmsg'], action: 'SCMP_ACT_NOTIFY' }] });
  });
  t.is(onSendmsg.status, 1);
  t.regex(onSendmsg.stderr, /SCMP_ACT_NOTIFY cannot be used for sendmsg/);

  // the init's own sync messages are written with write(2): refused at create, as runc does
  const onWrite = runScript('true', (spec) => {
    spec.linux!.seccomp = notifyProfile(socket, { syscalls: [{ names: ['mkdir', 'write'], action: 'SCMP_ACT_NOTIFY' }] });
  });
  t.is(onWrite.status, 1);
  t.regex(onWrite.stderr, /linux\.seccomp\.syscalls\[0\]\.names\[1\]: SCMP_ACT_NOTIFY cannot be used for the write syscall/);
});
