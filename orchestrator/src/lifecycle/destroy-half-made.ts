import { removeContainerCgroup } from '../cgroups/container-cgroup.js';
import { isAlive, type IntentRecord } from '../state/intent.js';
import type { StateStore } from '../state/state-store.js';

/**
 * Removes what an interrupted create made, as its intent record names it: the init and the
 * helper (only if they are still those processes), the cgroup or systemd unit with whatever is
 * left in it, the resctrl group, and the state dir.
 */
export async function destroyHalfMade(store: StateStore, intent: IntentRecord): Promise<void> {
  for (const ref of [intent.init, intent.helper]) {
    if (!ref || !isAlive(ref)) continue;
    try {
      process.kill(ref.pid, 'SIGKILL');
    } catch {
      // gone between the check and the kill
    }
  }
  if (intent.cgroup) await removeContainerCgroup(intent.cgroup);
  store.remove(intent.id);
}
