import test from 'ava';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTR, NAMESPACES, SYNC } from '../../orchestrator/src/protocol/protocol.js';
import { encodeNetlinkMessage } from '../../orchestrator/src/bootstrap/netlink-message.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

test('the generated C header and TS module match shared/protocol.json', (t) => {
  const check = spawnSync(process.execPath, ['tools/gen-protocol.mjs', '--check'], { cwd: repo, encoding: 'utf8' });
  t.is(check.status, 0, check.stderr);
});

test('the TS module carries the ids and names both sides use', (t) => {
  t.is(ATTR.cloneFlags, 27281);
  t.is(NAMESPACES.user.flag, 0x10000000);
  t.is(SYNC.procReady, 'procReady');
});

test('bootstrap attributes are NUL-terminated, 4-byte aligned and counted in nlmsg_len', (t) => {
  const message = encodeNetlinkMessage(62000, [
    { type: ATTR.cloneFlags, value: { kind: 'u32', value: 0x20000 } },
    { type: ATTR.nsPath, value: { kind: 'string', value: 'net:/x' } },
    { type: ATTR.setgroups, value: { kind: 'bool', value: true } },
  ]);
  t.is(message.readUInt32LE(0), message.length);
  t.is(message.readUInt16LE(4), 62000);
  t.is(message.readUInt16LE(16), 8); // nla_len of the u32
  t.is(message.readUInt32LE(20), 0x20000);
  t.is(message.readUInt16LE(24), 4 + 'net:/x'.length + 1);
  t.is(message.toString('utf8', 28, 34), 'net:/x');
  t.is(message[34], 0);
  t.is(message.length, 16 + 8 + 12 + 8);
});
