import type { Spec } from '../config/spec-types.js';
import type { InitType } from '../protocol/protocol.js';

/** The JSON line sent after the bootstrap message (shared/init-config.md). */
export interface InitConfig {
  type: InitType;
  id: string;
  bundle: string;
  rootfs: string;
  fifoPath: string;
  foreground: boolean;
  noPivot: boolean;
  noNewKeyring: boolean;
  preserveFds: number;
  spec: Spec;
}
