import test from 'ava';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeMessage, messageLength, MessageType, type DbusMessage } from '../../orchestrator/src/cgroups/systemd/dbus/message.js';
import { Variant, WireWriter, splitSignature } from '../../orchestrator/src/cgroups/systemd/dbus/wire.js';
import { DbusConnection, DbusError } from '../../orchestrator/src/cgroups/systemd/dbus/connection.js';
import { parseBusAddress, systemdEndpoints } from '../../orchestrator/src/cgroups/systemd/dbus/bus-address.js';
import { SystemdManager } from '../../orchestrator/src/cgroups/systemd/systemd-manager.js';

test('values are aligned to their size from the start of the message', (t) => {
  const w = new WireWriter();
  w.write('y', 1);
  w.write('t', 2n); // 7 bytes of padding first
  w.write('s', 'ab');
  w.write('at', []); // the length, then padding to 8 even for no elements
  t.deepEqual([...w.bytes()], [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('signatures split into complete types', (t) => {
  t.deepEqual(splitSignature('ssa(sv)a(sa(sv))'), ['s', 's', 'a(sv)', 'a(sa(sv))']);
  t.deepEqual(splitSignature('a{sv}b'), ['a{sv}', 'b']);
  t.throws(() => splitSignature('a(s'), { message: /unclosed/ });
  t.throws(() => splitSignature('z'), { message: /unknown type z/ });
});

test("StartTransientUnit's arguments survive a round trip through the wire format", (t) => {
  const props = [
    ['Description', new Variant('s', 'orch container c1')],
    ['PIDs', new Variant('au', [1234])],
    ['Delegate', new Variant('b', true)],
    ['MemoryMax', new Variant('t', 0xffff_ffff_ffff_ffffn)],
    ['AllowedCPUs', new Variant('ay', Buffer.from([0x0f, 0x01]))],
    ['DeviceAllow', new Variant('a(ss)', [['char-*', 'm']])],
  ];
  const message: DbusMessage = {
    type: MessageType.methodCall,
    serial: 7,
    path: '/org/freedesktop/systemd1',
    interface: 'org.freedesktop.systemd1.Manager',
    member: 'StartTransientUnit',
    destination: 'org.freedesktop.systemd1',
    signature: 'ssa(sv)a(sa(sv))',
    body: ['orch-c1.scope', 'replace', props, []],
  };
  const bytes = encodeMessage(message);
  t.is(bytes.length % 8 === 0 || bytes.length > 0, true);
  t.is(messageLength(bytes), bytes.length);
  t.is(messageLength(bytes.subarray(0, 10)), undefined, 'a partial fixed header');
  const back = decodeMessage(bytes);
  t.is(back.member, 'StartTransientUnit');
  t.is(back.serial, 7);
  t.deepEqual(back.body, message.body);
});

/**
 * A D-Bus peer good enough to test the client: EXTERNAL auth, then replies chosen by the test.
 * Each accepted connection calls handle(message, send).
 */
function fakeBus(handle: (m: DbusMessage, send: (reply: Omit<DbusMessage, 'serial'>) => void) => void): Promise<{ path: string; server: Server; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-dbus-'));
  const path = join(dir, 'bus');
  let serial = 1000;
  const server = createServer((sock: Socket) => {
    let authed = false;
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!authed) {
        const text = buf.toString('latin1');
        if (text.includes('AUTH EXTERNAL') && text.includes('\r\n') && !text.includes('BEGIN')) {
          sock.write('OK 1234deadbeef\r\n');
        }
        const begin = text.indexOf('BEGIN\r\n');
        if (begin < 0) return;
        authed = true;
        buf = buf.subarray(begin + 7);
      }
      for (;;) {
        const n = messageLength(buf);
        if (n === undefined || buf.length < n) return;
        const m = decodeMessage(buf.subarray(0, n));
        buf = buf.subarray(n);
        handle(m, (reply) => sock.write(encodeMessage({ ...reply, serial: ++serial } as DbusMessage)));
      }
    });
  });
  const close = (): void => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve) => server.listen(path, () => resolve({ path, server, close })));
}

test('a call gets its reply by serial; signals go to listeners; errors carry their name', async (t) => {
  const bus = await fakeBus((m, send) => {
    if (m.member === 'Hello') send({ type: MessageType.methodReturn, replySerial: m.serial, signature: 's', body: [':1.5'] });
    if (m.member === 'Echo') {
      // a signal before the reply, as systemd may send JobRemoved before the method returns
      send({ type: MessageType.signal, path: '/x', interface: 'test.Iface', member: 'Ping', signature: 'u', body: [9] });
      send({ type: MessageType.methodReturn, replySerial: m.serial, signature: m.signature ?? '', body: m.body ?? [] });
    }
    if (m.member === 'Fail') send({ type: MessageType.error, replySerial: m.serial, errorName: 'org.freedesktop.systemd1.NoSuchUnit', signature: 's', body: ['Unit x.scope not loaded.'] });
  });
  t.teardown(bus.close);
  const conn = await DbusConnection.open(bus.path, { bus: true });
  t.teardown(() => conn.close());
  const signals: DbusMessage[] = [];
  conn.onSignal((m) => signals.push(m));
  const reply = await conn.call({ path: '/x', interface: 'test.Iface', member: 'Echo', signature: 'sat', body: ['hi', [1n, 2n]] });
  t.deepEqual(reply, ['hi', [1n, 2n]]);
  t.is(signals[0]?.member, 'Ping');
  const err = await t.throwsAsync(conn.call({ path: '/x', interface: 'test.Iface', member: 'Fail' }), { instanceOf: DbusError });
  t.is(err?.errorName, 'org.freedesktop.systemd1.NoSuchUnit');
  t.is(err?.message, 'Unit x.scope not loaded.');
});

test('a closed connection fails the calls waiting on it', async (t) => {
  const bus = await fakeBus(() => undefined);
  t.teardown(bus.close);
  const conn = await DbusConnection.open(bus.path, { bus: false });
  const pending = conn.call({ path: '/x', interface: 'test.Iface', member: 'Never' });
  conn.close();
  await t.throwsAsync(pending, { message: /connection closed/ });
});

test('bus addresses: unix paths and abstract sockets, in order; other transports skipped', (t) => {
  t.deepEqual(parseBusAddress('tcp:host=x,port=1;unix:path=/run/a%20b;unix:abstract=foo'), [
    { socketPath: '/run/a b', bus: true, label: '/run/a b' },
    { socketPath: '\0foo', bus: true, label: '@foo' },
  ]);
  t.deepEqual(
    systemdEndpoints(false, {}).map((e) => e.socketPath),
    ['/run/dbus/system_bus_socket', '/run/systemd/private'],
    'root: the system bus, then systemd itself',
  );
  t.deepEqual(
    systemdEndpoints(true, { XDG_RUNTIME_DIR: '/run/user/1000' }).map((e) => e.socketPath),
    ['/run/user/1000/bus'],
  );
  t.throws(() => systemdEndpoints(true, {}), { message: /neither \$DBUS_SESSION_BUS_ADDRESS nor \$XDG_RUNTIME_DIR/ });
});

/** A fake systemd manager: StartTransientUnit answers UnitExists once per name, then a job that ends at once. */
function fakeSystemd(calls: string[]): ReturnType<typeof fakeBus> {
  const refused = new Set<string>();
  let job = 0;
  return fakeBus((m, send) => {
    const reply = (signature: string, body: DbusMessage['body']): void => send({ type: MessageType.methodReturn, replySerial: m.serial, signature, body });
    calls.push(m.member === 'Get' ? `Get ${String(m.body?.[1])}` : `${m.member ?? ''} ${String(m.body?.[0] ?? '')}`.trim());
    switch (m.member) {
      case 'Hello':
        return reply('s', [':1.9']);
      case 'AddMatch':
      case 'ResetFailedUnit':
        return reply('', []);
      case 'Get':
        return reply('v', [new Variant('s', '252.38-1~deb12u1')]);
      case 'StartTransientUnit': {
        const name = String(m.body?.[0]);
        if (!refused.has(name)) {
          refused.add(name);
          return send({ type: MessageType.error, replySerial: m.serial, errorName: 'org.freedesktop.systemd1.UnitExists', signature: 's', body: [`Unit ${name} was already loaded or has a fragment file.`] });
        }
        const path = `/org/freedesktop/systemd1/job/${++job}`;
        // the job ends before its method returns: the client must not miss it
        send({ type: MessageType.signal, path: '/org/freedesktop/systemd1', interface: 'org.freedesktop.systemd1.Manager', member: 'JobRemoved', signature: 'uoss', body: [job, path, name, name.startsWith('bad') ? 'failed' : 'done'] });
        return reply('o', [path]);
      }
      case 'StopUnit':
        return send({ type: MessageType.error, replySerial: m.serial, errorName: 'org.freedesktop.systemd1.NoSuchUnit', signature: 's', body: ['not loaded'] });
      default:
        return send({ type: MessageType.error, replySerial: m.serial, errorName: 'org.freedesktop.DBus.Error.UnknownMethod', signature: 's', body: ['?'] });
    }
  });
}

test('the manager: version, a leftover unit reset and started again, a failed job, a stop of a gone unit', async (t) => {
  const calls: string[] = [];
  const bus = await fakeSystemd(calls);
  t.teardown(bus.close);
  const manager = await SystemdManager.connect(false, [{ socketPath: bus.path, bus: true, label: 'fake' }]);
  t.teardown(() => manager.close());
  t.is(await manager.version(), 252);
  await manager.startTransientUnit('orch-c1.scope', [['Delegate', new Variant('b', true)]]);
  await t.throwsAsync(manager.startTransientUnit('bad.scope', []), { message: /error creating systemd unit `bad.scope`: got `failed`/ });
  await manager.stopUnit('orch-c1.scope');
  t.deepEqual(calls, [
    'Hello',
    "AddMatch type='signal',sender='org.freedesktop.systemd1',interface='org.freedesktop.systemd1.Manager',member='JobRemoved',path='/org/freedesktop/systemd1'",
    'Get Version',
    'StartTransientUnit orch-c1.scope',
    'ResetFailedUnit orch-c1.scope',
    'StartTransientUnit orch-c1.scope',
    'StartTransientUnit bad.scope',
    'ResetFailedUnit bad.scope',
    'StartTransientUnit bad.scope',
    'ResetFailedUnit bad.scope',
    'StopUnit orch-c1.scope',
    'ResetFailedUnit orch-c1.scope',
  ]);
});

test('no reachable bus: one error naming every place tried', async (t) => {
  await t.throwsAsync(SystemdManager.connect(false, [{ socketPath: '/nonexistent/bus', bus: true, label: '/nonexistent/bus' }]), { message: 'failed to connect to dbus: /nonexistent/bus: ENOENT' });
});
