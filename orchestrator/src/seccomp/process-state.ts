import { OCI_VERSION } from '../config/schema.js';

/** runtime-spec's ContainerProcessState: what the seccomp agent receives with the listener fd. */
export interface ContainerProcessState {
  ociVersion: string;
  fds: string[];
  pid: number;
  metadata?: string;
  state: {
    ociVersion: string;
    id: string;
    status: 'creating';
    pid: number;
    bundle: string;
    annotations?: Record<string, string>;
  };
}

/** The name of the listener fd in `fds`, as runtime-spec defines it. */
export const SECCOMP_FD_NAME = 'seccompFd';

export function containerProcessState(options: {
  id: string;
  pid: number;
  bundle: string;
  annotations: Record<string, string>;
  metadata?: string;
}): ContainerProcessState {
  const annotations = Object.keys(options.annotations).length > 0 ? options.annotations : undefined;
  return {
    ociVersion: OCI_VERSION,
    fds: [SECCOMP_FD_NAME],
    pid: options.pid,
    ...(options.metadata ? { metadata: options.metadata } : {}),
    state: {
      ociVersion: OCI_VERSION,
      id: options.id,
      status: 'creating',
      pid: options.pid,
      bundle: options.bundle,
      ...(annotations ? { annotations } : {}),
    },
  };
}
