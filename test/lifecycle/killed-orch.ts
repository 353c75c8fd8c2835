import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORCH_BIN } from '../support/orch-cli.js';

/** Spawns `orch --root ROOT ARGS` and SIGKILLs it after delayMs; resolves once it is gone. */
export async function killedAfter(root: string, args: string[], delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [ORCH_BIN, '--root', root, ...args], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await sleep(delayMs);
  child.kill('SIGKILL');
  await exited;
}
