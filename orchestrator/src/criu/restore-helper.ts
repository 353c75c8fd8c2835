import invariant from 'tiny-invariant';
import { spawn, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ENV, SYNC } from '../protocol/protocol.js';
import { OrchError } from '../errors/orch-error.js';
import { helperPath } from '../bootstrap/helper-path.js';
import { exitPromise, type HelperExit } from '../bootstrap/launch-init.js';
import { SyncChannel } from '../bootstrap/sync-channel.js';

export interface RestoreRequest {
  /** `criu restore …` arguments (without "criu") */
  criuArgs: string[];
  /** --criu: the binary the helper execs (a name is looked up on $PATH) */
  criuBinary?: string;
  /** the rootfs, and where the helper binds it for criu's --root */
  rootfs: string;
  criuRoot: string;
  /** where criu writes the restored init's pid */
  pidFile: string;
  foreground: boolean;
  /** fds 3.. of criu: external namespace files, opened by the caller */
  extraFds: number[];
  /** called with the helper's pid before it is let go: the place to join the cgroup */
  beforeRestore: (helperPid: number) => void | Promise<void>;
}

export interface RestoredInit {
  pid: number;
  /** resolves when the helper exits; in the foreground its status is the container's */
  exited: Promise<HelperExit>;
  kill(): void;
}

/**
 * Runs `orch-init criu-restore` (init-helper/src/criu/criu_restore.h): it waits in the new cgroup
 * for procRun, runs criu and reports the restored init's pid (procPids) or procError.
 */
export async function restoreWithHelper(request: RestoreRequest): Promise<RestoredInit> {
  const stdio: StdioOptions = ['inherit', 'inherit', 'inherit', ...request.extraFds];
  const syncFd = stdio.length;
  stdio.push('pipe');
  const args = ['criu-restore', ...(request.foreground ? ['--foreground'] : []), '--root-bind', `${request.rootfs}:${request.criuRoot}`, '--pid-file', request.pidFile, '--', request.criuBinary ?? 'criu', ...request.criuArgs];
  const helper = spawn(helperPath(), args, { stdio, env: { ...process.env, [ENV.syncFd]: String(syncFd) }, argv0: 'orch-init' });
  const pid = await new Promise<number>((resolve, reject) => {
    helper.once('spawn', () => resolve(helper.pid ?? 0));
    helper.once('error', (err) => reject(new OrchError('system', `start ${helperPath()}: ${err.message}`, { cause: err })));
  });
  const exited = exitPromise(helper);
  const socket = helper.stdio[syncFd] as (Readable & Writable) | null;
  invariant(socket, 'criu-restore helper has no sync socket');
  const channel = new SyncChannel(socket, socket);
  try {
    await request.beforeRestore(pid);
    channel.send({ type: SYNC.procRun });
    const reply = await channel.expect(SYNC.procPids, 'criu restored the container');
    const restored = Number(reply['pid']);
    if (!Number.isInteger(restored) || restored <= 0) throw new OrchError('init-failed', `criu-restore reported a bad pid: ${JSON.stringify(reply)}`);
    channel.close();
    return { pid: restored, exited, kill: () => helper.kill('SIGKILL') };
  } catch (err) {
    helper.kill('SIGKILL');
    await exited;
    channel.close();
    throw err;
  }
}
