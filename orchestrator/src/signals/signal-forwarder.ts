/**
 * How signals reach a foreground container's process: the CLI forwards its own (cli/forward-
 * signals.ts, as runc does); a library caller passes its own source, or none.
 */
export interface SignalForwarder {
  /** from now on signals go to pid; those that arrived before are delivered first, in order */
  forwardTo(pid: number): void;
  stop(): void;
}

/** Starts a forwarder; called before the process exists (exec's runs as soon as it is cloned). */
export type SignalForwarding = () => SignalForwarder;
