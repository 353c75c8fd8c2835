import invariant from 'tiny-invariant';
import { readFileSync } from 'node:fs';
import { OrchError } from '../../errors/orch-error.js';
import { logger } from '../../log/logger.js';
import { WILDCARD, type DeviceRule } from '../devices/device-rule.js';
import { DeviceEmulator } from '../devices/emulator.js';
import { Variant } from './dbus/wire.js';
import type { UnitProperty } from './systemd-manager.js';

/**
 * Device rules as DevicePolicy and DeviceAllow (runc's devices.systemdProperties): an empty
 * DeviceAllow first, which clears what the unit had, then strict with the allowed devices. A
 * deny-list systemd cannot express: allow-all becomes DevicePolicy=auto; anything else a
 * temporary deny-all (the cgroupfs rules that follow hold the real list).
 */
export function deviceProperties(rules: readonly DeviceRule[], sdVersion: number, procDevices: () => string = readProcDevices): UnitProperty[] {
  const allow = (list: Array<[string, string]>): UnitProperty => ['DeviceAllow', new Variant('a(ss)', list)];
  const emu = DeviceEmulator.fromRules(rules);
  if (emu.defaultAllow) {
    if (emu.isAllowAll) return [allow([]), ['DevicePolicy', new Variant('s', 'auto')]];
    logger().warn("systemd doesn't support blacklist device rules -- applying temporary deny-all rule");
    return [allow([]), ['DevicePolicy', new Variant('s', 'strict')]];
  }
  const entries: Array<[string, string]> = [];
  for (const rule of emu.rules()) {
    invariant(rule.allow && (rule.type === 'b' || rule.type === 'c'), () => `rule ${JSON.stringify(rule)} cannot be a DeviceAllow entry`);
    const prefix = rule.type === 'b' ? 'block-' : 'char-';
    let path: string;
    if (rule.major === WILDCARD) {
      if (rule.minor !== WILDCARD) {
        logger().warn(`systemd doesn't support '*:n' device rules -- temporarily ignoring rule ${rule.type} *:${rule.minor} ${rule.access}`);
        continue;
      }
      path = `${prefix}*`;
    } else if (rule.minor === WILDCARD) {
      if (sdVersion >= 240) {
        path = `${prefix}${rule.major}`;
      } else {
        const group = deviceGroup(procDevices(), rule.type, rule.major);
        if (group === undefined) {
          logger().warn(`could not find device group for '${rule.type}/${rule.major}' in /proc/devices -- temporarily ignoring rule`);
          continue;
        }
        path = `${prefix}${group}`;
      }
    } else {
      path = `/dev/${rule.type === 'b' ? 'block' : 'char'}/${rule.major}:${rule.minor}`;
    }
    entries.push([path, rule.access]);
  }
  return [allow([]), ['DevicePolicy', new Variant('s', 'strict')], allow(entries)];
}

/** The driver name /proc/devices lists for a major number, in the block or character section. */
export function deviceGroup(text: string, type: 'b' | 'c', major: number): string | undefined {
  let section: 'b' | 'c' | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'Block devices:') section = 'b';
    else if (line === 'Character devices:') section = 'c';
    else if (section === type) {
      const m = /^(\d+)\s+(.+)$/.exec(line);
      if (m && Number(m[1]) === major) return m[2];
    }
  }
  return undefined;
}

function readProcDevices(): string {
  try {
    return readFileSync('/proc/devices', 'utf8');
  } catch (err) {
    throw new OrchError('system', `read /proc/devices: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}
