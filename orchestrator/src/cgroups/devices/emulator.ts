import { OrchError } from '../../errors/orch-error.js';
import { accessDifference, accessIntersection, accessUnion, isCanonicalAccess, WILDCARD, type DeviceRule, type DeviceRuleType } from './device-rule.js';

/**
 * The kernel's v1 devices cgroup, simulated (a port of runc's devices emulator): a default
 * (allow-all "blacklist" or deny-all "whitelist") plus exceptions. It turns a rule list into the
 * minimal rules a v2 eBPF filter needs, and computes the writes that take a live v1 cgroup from
 * its current devices.list to a target without ever allowing more than both.
 */
interface Meta {
  type: Exclude<DeviceRuleType, 'a'>;
  major: number;
  minor: number;
}

export class DeviceEmulator {
  defaultAllow = false;
  private exceptions = new Map<string, { meta: Meta; access: string }>();

  /** A deny-all cgroup with the given rules applied in order. */
  static fromRules(rules: readonly DeviceRule[]): DeviceEmulator {
    const emu = new DeviceEmulator();
    for (const rule of rules) emu.apply(rule);
    return emu;
  }

  /** The state devices.list shows: "a *:* rwm" alone means allow-all, else the allowed exceptions. */
  static fromList(text: string): DeviceEmulator {
    const emu = new DeviceEmulator();
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const fields = line.split(/[ :]/).filter((f) => f !== '');
      if (fields.length !== 4) throw new OrchError('system', `malformed devices.list rule ${line}`);
      const [type, major, minor, access] = fields as [string, string, string, string];
      if (type === 'a') {
        emu.reset(true);
        continue;
      }
      if (type !== 'b' && type !== 'c') throw new OrchError('system', `devices.list: unknown device type ${JSON.stringify(type)}`);
      if (!isCanonicalAccess(access) || access === '') throw new OrchError('system', `devices.list: bad access ${JSON.stringify(access)}`);
      emu.allow({ type, major: number(major), minor: number(minor) }, access);
    }
    return emu;
  }

  get isAllowAll(): boolean {
    return this.defaultAllow && this.exceptions.size === 0;
  }

  apply(rule: DeviceRule): void {
    if (rule.type === 'a') {
      this.reset(rule.allow);
      return;
    }
    const meta: Meta = { type: rule.type, major: rule.major, minor: rule.minor };
    if (rule.allow) this.allow(meta, rule.access);
    else this.deny(meta, rule.access);
  }

  /** Exceptions sorted by major, minor, type, as runc orders them. */
  entries(): Array<{ meta: Meta; access: string }> {
    return [...this.exceptions.values()].sort((a, b) => a.meta.major - b.meta.major || a.meta.minor - b.meta.minor || compareTypes(a.meta.type, b.meta.type));
  }

  accessOf(meta: Meta): string {
    return this.exceptions.get(key(meta))?.access ?? '';
  }

  /**
   * The rules to write to a cgroup in this state to reach target: a reset to target's default
   * first when the defaults differ (or this one is allow-all, whose deny exceptions cannot be
   * listed), then removals, then additions.
   */
  transition(target: DeviceEmulator): DeviceRule[] {
    const out: DeviceRule[] = [];
    let old = this.entries();
    if (this.defaultAllow || this.defaultAllow !== target.defaultAllow) {
      out.push({ type: 'a', major: WILDCARD, minor: WILDCARD, access: 'rwm', allow: target.defaultAllow });
      old = [];
    }
    const oldAccess = new Map(old.map((e) => [key(e.meta), e.access]));
    for (const { meta, access } of old) {
      const dropped = accessDifference(access, target.accessOf(meta));
      if (dropped !== '') out.push({ ...meta, access: dropped, allow: target.defaultAllow });
    }
    for (const { meta, access } of target.entries()) {
      const gained = accessDifference(access, oldAccess.get(key(meta)) ?? '');
      if (gained !== '') out.push({ ...meta, access: gained, allow: !target.defaultAllow });
    }
    return out;
  }

  /** The minimal ordered rules equal to this state, from deny-all (what the eBPF filter is built from). */
  rules(): DeviceRule[] {
    return new DeviceEmulator().transition(this);
  }

  /** Same default and the same exceptions. */
  equals(other: DeviceEmulator): boolean {
    if (this.defaultAllow !== other.defaultAllow || this.exceptions.size !== other.exceptions.size) return false;
    return this.entries().every(({ meta, access }) => other.accessOf(meta) === access);
  }

  private reset(defaultAllow: boolean): void {
    this.defaultAllow = defaultAllow;
    this.exceptions = new Map();
  }

  private allow(meta: Meta, access: string): void {
    if (this.defaultAllow) this.removeException(meta, access, "unable to remove 'deny' exception");
    else this.addException(meta, access);
  }

  private deny(meta: Meta, access: string): void {
    if (this.defaultAllow) this.addException(meta, access);
    else this.removeException(meta, access, "unable to remove 'allow' exception");
  }

  private addException(meta: Meta, access: string): void {
    this.exceptions.set(key(meta), { meta, access: accessUnion(this.accessOf(meta), access) });
  }

  /** The kernel cannot take a specific device out of a wildcard exception: neither can we. */
  private removeException(meta: Meta, access: string, what: string): void {
    for (const partial of [
      { type: meta.type, major: WILDCARD, minor: meta.minor },
      { type: meta.type, major: meta.major, minor: WILDCARD },
      { type: meta.type, major: WILDCARD, minor: WILDCARD },
    ]) {
      if (key(partial) === key(meta)) continue;
      const partialAccess = this.accessOf(partial);
      if (accessIntersection(partialAccess, access) !== '') {
        throw new OrchError(
          'invalid-config',
          `${what}: device rule ${describe(meta, access)} not supported by devices cgroupv1 (cannot punch hole in existing wildcard rule ${describe(partial, partialAccess)})`,
        );
      }
    }
    const left = accessDifference(this.accessOf(meta), access);
    if (left === '') this.exceptions.delete(key(meta));
    else this.exceptions.set(key(meta), { meta, access: left });
  }
}

function key(meta: Meta): string {
  return `${meta.type} ${meta.major}:${meta.minor}`;
}

function describe(meta: Meta, access: string): string {
  const n = (v: number): string => (v === WILDCARD ? '*' : String(v));
  return `[${meta.type} ${n(meta.major)}:${n(meta.minor)} ${access}]`;
}

function number(text: string): number {
  if (text === '*') return WILDCARD;
  if (!/^\d+$/.test(text)) throw new OrchError('system', `devices.list: invalid device number ${JSON.stringify(text)}`);
  return Number(text);
}

/** Plain code-unit order ('b' < 'c'): localeCompare would load ICU's collator, ~15 ms per create. */
function compareTypes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
