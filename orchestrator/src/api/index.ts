// The library entry: what Node services embed. The CLI (cli/) is a thin layer over the same calls.
export { createContainer, type CreatedContainer } from './create.js';
export { startContainer } from './start.js';
export { runContainer } from './run.js';
export { containerState } from './state.js';
export { listContainers } from './list.js';
export { killContainer } from './kill.js';
export { deleteContainer } from './delete.js';
export { execProcess, type ExecOptions } from './exec.js';
export { features, type Features } from './features.js';
export { pauseContainer } from './pause.js';
export { resumeContainer } from './resume.js';
export { containerPids, containerPsTable } from './ps.js';
export { containerStats, streamContainerEvents, formatEvent, type ContainerEvent, type EventsOptions, type EventStream } from './events.js';
export { updateContainer, parseResources, type UpdateOptions } from './update.js';
export { checkpointContainer, type CheckpointOptions } from './checkpoint.js';
export { restoreContainer, type RestoreOptions } from './restore.js';
export { applyProcessOverrides, type ProcessOverrides } from '../exec/process-overrides.js';
export type { RuntimeOptions, CreateOptions, RunOptions } from './options.js';
export { defaultSpec, rootlessSpec } from '../config/default-spec.js';
export { loadConfig, validateConfig } from '../config/load-config.js';
export type { Spec } from '../config/spec-types.js';
export type { StateOutput, ContainerStatus } from '../state/container-record.js';
export { OrchError, type OrchErrorCode } from '../errors/orch-error.js';
// The container handle API (handle/): run(), create(), open(), list().
export { run, create, open, list, DEFAULT_ROOT, type ContainerOptions } from '../handle/open-container.js';
export { Container, type ExecRequest, type HandleEvent, type HandleRuntime } from '../handle/container.js';
export { ContainerProcess } from '../handle/container-process.js';
export type { ExitResult } from '../handle/exit-result.js';
export type { StdioOption } from '../handle/stdio.js';
export type { TerminalOption } from '../handle/terminal.js';
export type { StdioItem } from '../bootstrap/launch-init.js';
export type { SignalForwarder, SignalForwarding } from '../signals/signal-forwarder.js';
export type { LinuxResources } from '../config/spec-types.js';
export type { CgroupStats } from '../cgroups/stats/cgroup-stats.js';
// Logs of one call: run it inside withLogger(sink, fn) (the handle API logs to `debug`, orch:log:*).
export { Logger, withLogger, type LogSink, type LoggerOptions } from '../log/logger.js';
