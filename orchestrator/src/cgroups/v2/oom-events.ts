import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import { readCgroupFileIfExists } from '../cgroup-file.js';
import { valueByKey } from '../cgroup-values.js';
import type { OomWatch } from '../oom-watch.js';

/**
 * v2 OOM notifications (runc's registerMemoryEventV2): the kernel raises inotify IN_MODIFY on
 * memory.events and cgroup.events, which fs.watch delivers. An "oom" is reported each time
 * memory.events' oom_kill count grows; watching ends once cgroup.events says "populated 0"
 * (every process gone) or the cgroup is removed. A poll at pollMs backs inotify up.
 */
export function watchOomV2(dir: string, onOom: () => void, pollMs = 1000): Promise<OomWatch> {
  const initial = oomKills(dir);
  if (initial === undefined && existsSync(dir)) {
    return Promise.reject(new OrchError('unsupported', `cgroup memory: ${join(dir, 'memory.events')}: no such file (the memory controller is not enabled for the cgroup)`));
  }
  let lastKills = initial ?? 0n;
  let finish: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  const watchers: FSWatcher[] = [];
  let done = false;

  const stop = (): void => {
    if (done) return;
    done = true;
    for (const w of watchers) w.close();
    clearInterval(timer);
    finish();
  };
  const check = (): void => {
    if (done) return;
    const kills = oomKills(dir);
    if (kills === undefined || !populated(dir)) {
      // the last kill may have emptied the cgroup: report it before closing
      if (kills !== undefined && kills > lastKills) onOom();
      stop();
      return;
    }
    if (kills > lastKills) {
      lastKills = kills;
      onOom();
    }
  };
  for (const file of ['memory.events', 'cgroup.events']) {
    try {
      const w = watch(join(dir, file), { persistent: false }, check);
      w.on('error', check);
      watchers.push(w);
    } catch {
      // no inotify here: the poll alone will do
    }
  }
  const timer = setInterval(check, pollMs);
  check();
  return Promise.resolve({ closed, stop });
}

function oomKills(dir: string): bigint | undefined {
  const text = readCgroupFileIfExists('memory', dir, 'memory.events');
  return text === undefined ? undefined : valueByKey(text, 'oom_kill', join(dir, 'memory.events'));
}

function populated(dir: string): boolean {
  const text = readCgroupFileIfExists('cgroup', dir, 'cgroup.events');
  return text !== undefined && valueByKey(text, 'populated', join(dir, 'cgroup.events')) !== 0n;
}
