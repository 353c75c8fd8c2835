import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { OrchError } from '../errors/orch-error.js';

/** runc's floor: the CRIU 3.0 command set (3.14 for the cgroup v2 freezer). */
const MIN_VERSION = 30000;

/**
 * criu's version as one number (3.17.1 -> 31701), as runc compares them. A missing criu is
 * "unsupported": checkpoint and restore need it installed (Debian: apt install criu) or --criu.
 */
export function criuVersion(binary = 'criu'): number {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new OrchError('unsupported', binary === 'criu' ? 'criu is not installed (checkpoint and restore run it from $PATH, or --criu PATH)' : `--criu ${binary}: no such file or directory`);
    }
    throw new OrchError('system', `${binary} --version: ${result.error.message}`, { cause: result.error });
  }
  const m = /Version:\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(result.stdout);
  if (!m) throw new OrchError('system', `criu --version: cannot read a version in ${JSON.stringify(result.stdout.trim())}`);
  const version = Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3] ?? 0);
  if (version < MIN_VERSION) throw new OrchError('unsupported', `CRIU version ${version} must be ${MIN_VERSION} or higher`);
  return version;
}

/** Where the helper looks for criu, and criu for what it runs (a root shell's PATH; --criu names another). */
export const CRIU_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * How criu locks the container's network while it works. Its default runs iptables-restore; on
 * a host without it (Debian's minimal installs) the nftables library criu links does the same
 * job, where runc would just fail. /etc/criu/runc.conf or the org.criu.config file may still say
 * otherwise (a config file's settings win).
 */
export function networkLockArgs(): string[] {
  return onPath('iptables-restore') ? [] : ['--network-lock', 'nftables'];
}

function onPath(program: string): boolean {
  for (const dir of CRIU_PATH.split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Runs criu to completion; resolves with its exit status (128+N when killed by signal N). */
export function runCriu(binary: string, args: readonly string[], stdio: StdioOptions = ['ignore', 'inherit', 'inherit'], onSpawn?: (pid: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio, env: { PATH: CRIU_PATH } });
    child.once('spawn', () => onSpawn?.(child.pid ?? 0));
    child.once('error', (err) => reject(new OrchError('system', `run criu: ${err.message}`, { cause: err })));
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? osConstants.signals[signal] : 0)));
  });
}
