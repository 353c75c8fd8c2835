import { OrchError } from '../../errors/orch-error.js';
import { readCgroupFile, writeCgroupFile } from '../cgroup-file.js';
import { ruleString, type DeviceRule } from '../devices/device-rule.js';
import { DeviceEmulator } from '../devices/emulator.js';
import { runningInUserNamespace } from '../devices/user-namespace.js';

/**
 * The v1 devices controller (runc's devices.setV1): the writes that take devices.list from what it
 * is to the rules, never passing through a state that allows more than both, then a check that
 * the kernel ended where the emulator says.
 */
export function setDevicesV1(dir: string, rules: readonly DeviceRule[]): void {
  if (runningInUserNamespace()) return;
  const current = DeviceEmulator.fromList(readCgroupFile('devices', dir, 'devices.list'));
  const target = DeviceEmulator.fromRules(rules);
  for (const rule of current.transition(target)) {
    writeCgroupFile('devices', dir, rule.allow ? 'devices.allow' : 'devices.deny', ruleString(rule));
  }
  const after = DeviceEmulator.fromList(readCgroupFile('devices', dir, 'devices.list'));
  // an allow-all target keeps deny exceptions devices.list cannot show: only the mode is comparable
  if (target.defaultAllow ? !after.defaultAllow : !after.equals(target)) {
    throw new OrchError('system', `cgroup devices: ${dir}: resulting devices cgroup doesn't precisely match target`);
  }
}
