import type { Spec } from '../config/spec-types.js';
import type { InitType } from '../protocol/protocol.js';

/** The JSON line sent after the bootstrap message (shared/init-config.md). */
export interface InitConfig {
  type: InitType;
  id: string;
  bundle: string;
  rootfs: string;
  /** standard only: the exec fifo stage-0 makes */
  fifoPath?: string;
  foreground: boolean;
  noPivot: boolean;
  noNewKeyring: boolean;
  /** run --no-subreaper: the foreground stage-0 does not adopt the container's orphans */
  noSubreaper?: boolean;
  preserveFds: number;
  /** process.terminal, detached: stage-0 connects here and the init sends its pty master on it */
  consoleSocket?: string;
  /** --pidfd-socket: stage-0 connects here and sends a pidfd of the container's process */
  pidfdSocket?: string;
  spec: Spec;
}
