import type { Command } from './command.js';

interface CommandEntry {
  summary: string;
  /** each command's module is loaded only when it runs, so a call pays for nothing else */
  load(): Promise<{ command: Command }>;
}

/** Every command, in runc's order, with the one-line summary the main help shows. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  checkpoint: { summary: 'checkpoint a running container with criu', load: () => import('./commands/checkpoint.js') },
  create: { summary: 'create a container, ready for start', load: () => import('./commands/create.js') },
  delete: { summary: 'delete a container and everything it holds', load: () => import('./commands/delete.js') },
  events: { summary: 'show container events and statistics', load: () => import('./commands/events.js') },
  exec: { summary: 'run a new process in a container', load: () => import('./commands/exec.js') },
  kill: { summary: "send a signal (default SIGTERM) to a container's init", load: () => import('./commands/kill.js') },
  list: { summary: 'list the containers under --root', load: () => import('./commands/list.js') },
  pause: { summary: 'freeze every process of a container', load: () => import('./commands/pause.js') },
  ps: { summary: 'show the processes of a container', load: () => import('./commands/ps.js') },
  restore: { summary: 'restore a container from a criu checkpoint', load: () => import('./commands/restore.js') },
  resume: { summary: 'thaw a paused container', load: () => import('./commands/resume.js') },
  run: { summary: 'create and start a container', load: () => import('./commands/run.js') },
  spec: { summary: 'write a starter config.json', load: () => import('./commands/spec.js') },
  start: { summary: "start a created container's process", load: () => import('./commands/start.js') },
  state: { summary: "print a container's state as JSON", load: () => import('./commands/state.js') },
  update: { summary: "change a running container's resource limits", load: () => import('./commands/update.js') },
  features: { summary: 'print what this runtime supports, as JSON', load: () => import('./commands/features.js') },
};
