/**
 * A timer for a hook's `timeout` seconds. setTimeout takes at most 2^31-1 ms (24.8 days) and fires
 * at once for anything longer, so a long timeout is waited for in steps toward a deadline.
 */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface HookDeadline {
  cancel(): void;
}

export function hookDeadline(seconds: number, onExpire: () => void): HookDeadline {
  const deadline = Date.now() + seconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = deadline - Date.now();
    if (left <= 0) {
      timer = undefined;
      onExpire();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_DELAY_MS));
  };
  arm();
  return {
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
