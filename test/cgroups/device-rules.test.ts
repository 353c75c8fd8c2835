import test from 'ava';
import { containerDeviceRules } from '../../orchestrator/src/cgroups/devices/container-rules.js';
import { ruleString, type DeviceRule } from '../../orchestrator/src/cgroups/devices/device-rule.js';
import { DeviceEmulator } from '../../orchestrator/src/cgroups/devices/emulator.js';
import { deviceFilterInput } from '../../orchestrator/src/cgroups/v2/devices.js';

const DEFAULT_LIST = ['c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:8 rwm', 'c 1:7 rwm', 'c 5:0 rwm', 'c 1:5 rwm', 'c 1:9 rwm', 'c 136:* rwm', 'c 5:2 rwm', 'c 10:200 rwm'];

test("the spec's rules come first, then runc's default allow list", (t) => {
  const rules = containerDeviceRules([{ allow: false, access: 'rwm' }], []);
  t.deepEqual(rules.map(ruleString), ['a *:* rwm', ...DEFAULT_LIST]);
  t.false(rules[0]?.allow);
  t.true(rules.slice(1).every((r) => r.allow));
});

test('a default whose path linux.devices lists is left out, rule and all (as runc)', (t) => {
  const rules = containerDeviceRules([], [{ path: '/dev/null', type: 'c', major: 1, minor: 3 }]);
  t.false(rules.map(ruleString).includes('c 1:3 rwm'));
  t.is(rules.length, DEFAULT_LIST.length - 1);
});

test('an empty access is refused with its index', (t) => {
  t.throws(() => containerDeviceRules([{ allow: true, access: 'rw' }, { allow: true, access: '' }], []), { message: 'device access at 1 field cannot be empty' });
});

test('v1: from an allow-all parent, deny everything first, then allow the exceptions in order', (t) => {
  const current = DeviceEmulator.fromList('a *:* rwm\n');
  t.true(current.isAllowAll);
  const target = DeviceEmulator.fromRules(containerDeviceRules([{ allow: false, access: 'rwm' }], []));
  const writes = current.transition(target);
  t.is(ruleString(writes[0] as DeviceRule), 'a *:* rwm');
  t.false(writes[0]?.allow, 'written to devices.deny');
  t.deepEqual(
    writes.slice(1).map(ruleString),
    ['b *:* m', 'c *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:2 rwm', 'c 10:200 rwm', 'c 136:* rwm'],
    'sorted by major, minor, type as runc sorts them',
  );
});

test('v1: only the difference is written to a whitelist cgroup, never a reset', (t) => {
  const current = DeviceEmulator.fromList('c 1:3 rwm\nc 1:5 rwm\n');
  const target = DeviceEmulator.fromRules([
    { type: 'a', major: -1, minor: -1, access: 'rwm', allow: false },
    { type: 'c', major: 1, minor: 3, access: 'rw', allow: true },
    { type: 'c', major: 1, minor: 9, access: 'rwm', allow: true },
  ]);
  const writes = current.transition(target);
  t.deepEqual(
    writes.map((r) => `${r.allow ? 'allow' : 'deny'} ${ruleString(r)}`),
    ['deny c 1:3 m', 'deny c 1:5 rwm', 'allow c 1:9 rwm'],
  );
  const after = DeviceEmulator.fromList('c 1:3 rw\nc 1:9 rwm\n');
  t.true(after.equals(target));
});

test('the emulator refuses to punch a hole in a wildcard, as the kernel would', (t) => {
  t.throws(
    () =>
      DeviceEmulator.fromRules([
        { type: 'c', major: 1, minor: -1, access: 'rwm', allow: true },
        { type: 'c', major: 1, minor: 3, access: 'r', allow: false },
      ]),
    { message: /cannot punch hole in existing wildcard rule \[c 1:\* rwm\]/ },
  );
});

test('v2: the filter gets the default and the ordered exceptions, without the wildcard reset', (t) => {
  const input = deviceFilterInput(containerDeviceRules([{ allow: false, access: 'rwm' }], []));
  t.false(input.defaultAllow);
  t.is(input.rules.length, DEFAULT_LIST.length);
  t.deepEqual(input.rules[0], { type: 'b', major: -1, minor: -1, access: 'm', allow: true });
  const allowAll = deviceFilterInput([{ type: 'a', major: -1, minor: -1, access: 'rwm', allow: true }, { type: 'c', major: 10, minor: 229, access: 'rwm', allow: false }]);
  t.deepEqual(allowAll, { defaultAllow: true, rules: [{ type: 'c', major: 10, minor: 229, access: 'rwm', allow: false }] });
});
