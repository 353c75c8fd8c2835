import { createInterface } from 'node:readline';
import { OrchError } from '../../errors/orch-error.js';
import { helperPath } from '../../bootstrap/helper-path.js';
import { startHelperCommand } from '../helper-commands.js';
import type { OomWatch } from '../oom-watch.js';

/**
 * v1 OOM notifications need an eventfd registered through cgroup.event_control, which Node cannot
 * make: `orch-init cgroup-oom <dir>` does, and prints "ready", then one "oom" line per event; it
 * exits when the cgroup is removed (the kernel signals the eventfd one last time then).
 */
export function watchOomV1(memoryDir: string, onOom: () => void): Promise<OomWatch> {
  const child = startHelperCommand('cgroup-oom', memoryDir);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise<OomWatch>((resolve, reject) => {
    let ready = false;
    child.once('error', (err) => reject(new OrchError('system', `cgroup memory: run ${helperPath()} cgroup-oom: ${err.message}`, { cause: err })));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready' && !ready) {
        ready = true;
        resolve({
          closed: exited.then(() => undefined),
          stop: () => void child.kill('SIGTERM'),
        });
      } else if (line === 'oom') {
        onOom();
      }
    });
    void exited.then((code) => {
      if (!ready) reject(new OrchError('system', `cgroup memory: OOM notifications for ${memoryDir}: ${stderr.trim() || `orch-init exited with ${code}`}`));
    });
  });
}
