import type { Hook } from '../config/spec-types.js';
import type { HookState } from './hook-state.js';
import { hookDeadline } from './hook-deadline.js';

/** The environment of a hook whose spec gives none. */
export type HookEnv = Readonly<Record<string, string | undefined>>;

/** How much of a failed hook's stdout and stderr goes into the one-line error. */
const OUTPUT_SHOWN = 200;
/** After the hook exits, how long its output may still take to arrive (a daemon it left may hold the pipes). */
const DRAIN_MS = 100;

/**
 * One hook as runc runs it: `path` with `args` as argv ([path] without args), `env` as the whole
 * environment (without one, the caller's hookEnv: the CLI passes its own, as runc's hooks inherit
 * runc's; the library never reads this process's), the state as JSON on stdin, stdout and stderr kept for the
 * error. Killed after `timeout` seconds. Resolves when it exited 0; otherwise rejects with the
 * reason in Go's words ("exit status 1, stdout: …, stderr: …").
 */
export async function runHook(hook: Hook, state: HookState, cwd: string | undefined, hookEnv: HookEnv): Promise<void> {
  // loaded on first use: most containers have no hooks, and child_process (with net and the
  // streams) would add ~5 ms to every `orch start` and `orch delete`
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const [argv0, ...args] = hook.args && hook.args.length > 0 ? hook.args : [hook.path];
    const child = spawn(hook.path, args, {
      argv0: argv0 ?? hook.path,
      env: hook.env ? environment(hook.env) : { ...hookEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(0, 64 * 1024)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(0, 64 * 1024)));
    // a hook that does not read its stdin must not fail for it
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(state));
    const timer = hook.timeout
      ? hookDeadline(hook.timeout, () => {
          timedOut = true;
          child.kill('SIGKILL');
        })
      : undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      timer?.cancel();
      reject(new Error(`fork/exec ${hook.path}: ${errnoText(err)}`));
    });
    child.once('exit', (code, signal) => {
      timer?.cancel();
      const finish = (): void => {
        child.stdout.destroy();
        child.stderr.destroy();
        if (timedOut) reject(new Error(`hook ran past specified timeout of ${(hook.timeout ?? 0).toFixed(1)}s`));
        else if (code === 0) resolve();
        else reject(new Error(`${code !== null ? `exit status ${code}` : `signal: ${signal}`}, stdout: ${shown(stdout)}, stderr: ${shown(stderr)}`));
      };
      const drained = setTimeout(finish, DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drained);
        finish();
      });
    });
  });
}

/**
 * A KEY=VALUE list as spawn's env object. Node takes an object, so a repeated KEY keeps its last
 * value and an entry without "=" is dropped (runc would pass both on as they are).
 */
function environment(list: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of list) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

function shown(text: string): string {
  const line = text.trim().replace(/[\r\n\t]+/g, ' ');
  return line.length > OUTPUT_SHOWN ? `${line.slice(0, OUTPUT_SHOWN)}…` : line;
}

/** "ENOENT" -> "no such file or directory", as Go prints errnos. */
function errnoText(err: NodeJS.ErrnoException): string {
  const texts: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', ENOEXEC: 'exec format error' };
  return (err.code && texts[err.code]) ?? err.message;
}
