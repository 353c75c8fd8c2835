/** How a container's process ended, as child_process's 'exit' says it: a code, or a signal. */
export interface ExitResult {
  /** the exit code; null when a signal ended it, or when this handle cannot know (see wait()) */
  code: number | null;
  /** the signal that ended it, or null */
  signal: NodeJS.Signals | null;
}
