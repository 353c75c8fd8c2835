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
export { applyProcessOverrides, type ProcessOverrides } from '../exec/process-overrides.js';
export type { RuntimeOptions, CreateOptions, RunOptions } from './options.js';
export { defaultSpec, rootlessSpec } from '../config/default-spec.js';
export { loadConfig, validateConfig } from '../config/load-config.js';
export type { Spec } from '../config/spec-types.js';
export type { StateOutput, ContainerStatus } from '../state/container-record.js';
export { OrchError, type OrchErrorCode } from '../errors/orch-error.js';
