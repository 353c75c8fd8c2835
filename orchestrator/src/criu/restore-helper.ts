import { SYNC } from '../protocol/protocol.js';
import { OrchError } from '../errors/orch-error.js';
import { spawnHelper, type HelperExit } from '../bootstrap/helper-process.js';
import { CRIU_PATH } from './criu-binary.js';

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
  const args = ['criu-restore', ...(request.foreground ? ['--foreground'] : []), '--root-bind', `${request.rootfs}:${request.criuRoot}`, '--pid-file', request.pidFile, '--', request.criuBinary ?? 'criu', ...request.criuArgs];
  // criu is found on the standard PATH (--criu names another); this process's environment stays its own
  const spawned = await spawnHelper({ args, stdio: ['inherit', 'inherit', 'inherit', ...request.extraFds], env: { PATH: CRIU_PATH } });
  const { channel, exited } = spawned;
  try {
    await request.beforeRestore(spawned.pid);
    channel.send(SYNC.procRun);
    const { pid: restored } = await channel.expect(SYNC.procPids, 'criu restored the container');
    if (restored <= 0) throw new OrchError('init-failed', `criu-restore reported a bad pid: ${restored}`);
    channel.close();
    return { pid: restored, exited, kill: () => spawned.helper.kill('SIGKILL') };
  } catch (err) {
    await spawned.kill();
    throw err;
  }
}
