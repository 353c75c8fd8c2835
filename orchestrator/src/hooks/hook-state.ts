import { OCI_VERSION } from '../config/schema.js';

/** runtime-spec's state, as hooks read it on stdin (runc's specs.State: pid and annotations omitted when empty). */
export interface HookState {
  ociVersion: string;
  id: string;
  status: 'creating' | 'created' | 'running' | 'stopped';
  pid?: number;
  bundle: string;
  annotations?: Record<string, string>;
}

export function hookState(container: { id: string; bundle: string; annotations: Record<string, string> }, status: HookState['status'], pid?: number): HookState {
  const annotations = Object.keys(container.annotations).length > 0 ? container.annotations : undefined;
  return {
    ociVersion: OCI_VERSION,
    id: container.id,
    status,
    ...(pid !== undefined && pid > 0 ? { pid } : {}),
    bundle: container.bundle,
    ...(annotations ? { annotations } : {}),
  };
}
