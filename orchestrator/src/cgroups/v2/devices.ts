import invariant from 'tiny-invariant';
import { OrchError } from '../../errors/orch-error.js';
import { runHelperCommand } from '../helper-commands.js';
import { logger } from '../../log/logger.js';
import type { DeviceRule } from '../devices/device-rule.js';
import { DeviceEmulator } from '../devices/emulator.js';
import { runningInUserNamespace } from '../devices/user-namespace.js';

/**
 * The v2 device controller is an eBPF program attached to the cgroup (runc's devices.setV2). Node
 * cannot call bpf(2): the rules, reduced by the emulator to a default and ordered exceptions, go
 * as JSON to `orch-init cgroup-devices <dir>`, which builds the program and attaches it.
 */
export interface DeviceFilterInput {
  defaultAllow: boolean;
  rules: Array<{ type: 'b' | 'c'; major: number; minor: number; access: string; allow: boolean }>;
}

/** What the helper gets for these rules (pure: the emulator decides, the helper only encodes). */
export function deviceFilterInput(rules: readonly DeviceRule[]): DeviceFilterInput {
  const emu = DeviceEmulator.fromRules(rules);
  const out: DeviceFilterInput = { defaultAllow: emu.defaultAllow, rules: [] };
  for (const [index, rule] of emu.rules().entries()) {
    if (rule.type === 'a') {
      // only the leading reset to the default can be a wildcard: it is the program's fall-through
      invariant(index === 0 && rule.allow === emu.defaultAllow, () => `device rules had a bad wildcard at ${index}`);
      continue;
    }
    out.rules.push({ type: rule.type, major: rule.major, minor: rule.minor, access: rule.access, allow: rule.allow });
  }
  return out;
}

export function setDevicesV2(dir: string, rules: readonly DeviceRule[]): void {
  const input = JSON.stringify(deviceFilterInput(rules));
  try {
    runHelperCommand('cgroup-devices', dir, input);
  } catch (err) {
    const message = `cgroup devices: ${err instanceof Error ? err.message : String(err)}`;
    // without bpf rights (in a user namespace), a filter that would allow everything is no loss
    if (canSkip(rules)) {
      logger().debug(`${message} (ignored: the rules allow every device)`);
      return;
    }
    throw new OrchError('system', message, { cause: err });
  }
}

function canSkip(rules: readonly DeviceRule[]): boolean {
  if (runningInUserNamespace()) return true;
  return rules.every((r) => r.allow && ['r', 'w', 'm'].every((c) => r.access.includes(c)));
}
