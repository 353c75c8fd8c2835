import { spawnSync } from 'node:child_process';
import { OrchError, systemError } from '../../errors/orch-error.js';
import { helperPath } from '../../bootstrap/helper-path.js';
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
      if (index !== 0 || rule.allow !== emu.defaultAllow) throw new OrchError('system', `[internal error] device rules had a bad wildcard at ${index}`);
      continue;
    }
    out.rules.push({ type: rule.type, major: rule.major, minor: rule.minor, access: rule.access, allow: rule.allow });
  }
  return out;
}

export function setDevicesV2(dir: string, rules: readonly DeviceRule[]): void {
  const input = JSON.stringify(deviceFilterInput(rules));
  const result = spawnSync(helperPath(), ['cgroup-devices', dir], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  if (result.error) throw systemError(`cgroup devices: run ${helperPath()} cgroup-devices`, result.error);
  if (result.status === 0) return;
  const message = `cgroup devices: ${dir}: ${result.stderr.trim() || `orch-init exited with ${result.status ?? result.signal}`}`;
  // without bpf rights (in a user namespace), a filter that would allow everything is no loss
  if (canSkip(rules)) {
    logger().debug(`${message} (ignored: the rules allow every device)`);
    return;
  }
  throw new OrchError('system', message);
}

function canSkip(rules: readonly DeviceRule[]): boolean {
  if (runningInUserNamespace()) return true;
  return rules.every((r) => r.allow && ['r', 'w', 'm'].every((c) => r.access.includes(c)));
}
