import { dirname, resolve } from 'node:path';
import createDebug from 'debug';
import { createContainer } from '../api/create.js';
import { listContainers } from '../api/list.js';
import type { Spec } from '../config/spec-types.js';
import { OrchError } from '../errors/orch-error.js';
import type { StateOutput } from '../state/container-record.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import { Container, type HandleRuntime } from './container.js';
import { containerStdio, type StdioOption } from './stdio.js';
import { traced } from './debug-sink.js';
import { terminalRequest, type TerminalOption } from './terminal.js';

const trace = createDebug('orch:handle');

/** The default state root, as the CLI's. */
export const DEFAULT_ROOT = '/run/orch';

/** What run() and create() take: the container's id and bundle (or spec and rootfs), its stdio and terminal. */
export interface ContainerOptions extends Partial<HandleRuntime> {
  id: string;
  /** the bundle: a dir holding config.json and the rootfs */
  bundle?: string;
  /** or a spec object (checked as config.json is) with the rootfs it runs, instead of a bundle's config.json */
  spec?: Spec;
  rootfs?: string;
  /** the container process's fds 0-2, as child_process takes them; default 'pipe' */
  stdio?: StdioOption;
  /** a pty for the process (true, or its first size): c.terminal and c.resize(); stdio is the relay's */
  terminal?: TerminalOption;
  /** aborting kills the container and deletes it */
  signal?: AbortSignal;
}

/**
 * Creates a container (runc's create) whose process waits for start(). The helper's stage-0
 * stays its parent, as with a foreground `run`, so wait() learns its code or signal.
 */
export async function create(options: ContainerOptions): Promise<Container> {
  options.signal?.throwIfAborted();
  const runtime = handleRuntime(options);
  const where = bundleOf(options);
  const terminal = terminalRequest(options.terminal);
  // with a terminal the helper relays the pty to its fds 0 and 1: pipes, for c.terminal
  const stdio = terminal ? containerStdio(['pipe', 'pipe', 'ignore']) : containerStdio(options.stdio);
  const { record, init } = await traced(() => createContainer({ ...runtime, id: options.id, ...where, stdio, ...terminal }, { foreground: true }));
  trace('%s created, init pid %d', record.id, record.initPid);
  const container = new Container(runtime, record, init, options.signal);
  if (options.signal?.aborted) {
    await container.delete({ force: true });
    options.signal.throwIfAborted();
  }
  return container;
}

/** Creates and starts a container: the handle of a running container. */
export async function run(options: ContainerOptions): Promise<Container> {
  const container = await create(options);
  try {
    await container.start();
  } catch (err) {
    await container.delete({ force: true }).catch(() => undefined);
    throw err;
  }
  return container;
}

/** The handle of an existing container (made by anyone: the CLI, another process). */
export function open(options: { id: string } & Partial<HandleRuntime>): Container {
  validateContainerId(options.id);
  const runtime = handleRuntime(options);
  const record = new StateStore(runtime.root).read(options.id);
  return new Container(runtime, record, undefined, undefined);
}

/** Every container under root, as `list` shows them. */
export function list(options: Partial<Pick<HandleRuntime, 'root'>> = {}): StateOutput[] {
  return listContainers({ root: options.root ?? DEFAULT_ROOT });
}

function bundleOf(options: ContainerOptions): { bundle: string; config?: Spec } {
  if (options.spec !== undefined) {
    if (options.rootfs === undefined) throw new OrchError('invalid-argument', 'spec: a spec object needs rootfs, the directory it runs');
    const rootfs = resolve(options.rootfs);
    // hooks and relative paths see the bundle as the rootfs's parent, as a bundle holding it would be
    return { bundle: options.bundle ? resolve(options.bundle) : dirname(rootfs), config: { ...options.spec, root: { ...options.spec.root, path: rootfs } } };
  }
  if (options.bundle === undefined) throw new OrchError('invalid-argument', 'bundle: required (or spec and rootfs)');
  return { bundle: resolve(options.bundle) };
}

function handleRuntime(options: Partial<HandleRuntime>): HandleRuntime {
  return {
    root: options.root ?? DEFAULT_ROOT,
    ...(options.systemdCgroup ? { systemdCgroup: true } : {}),
    ...(options.criu ? { criu: options.criu } : {}),
    ...(options.hookEnv ? { hookEnv: options.hookEnv } : {}),
  };
}
