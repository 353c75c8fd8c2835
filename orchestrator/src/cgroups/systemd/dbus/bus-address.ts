import { OrchError } from '../../../errors/orch-error.js';

/** A place to connect to: a unix socket path (a leading NUL: abstract) and whether a bus daemon is there. */
export interface BusEndpoint {
  socketPath: string;
  bus: boolean;
  label: string;
}

export const SYSTEM_BUS_DEFAULT = 'unix:path=/run/dbus/system_bus_socket';
/** systemd's own socket, root only, no bus daemon in between */
export const SYSTEMD_PRIVATE_SOCKET = '/run/systemd/private';

/**
 * The unix endpoints of a D-Bus address ("unix:path=/x;unix:abstract=y", specification "Server
 * Addresses"), in order. Other transports (tcp, launchd …) are skipped: systemd listens on unix
 * sockets only.
 */
export function parseBusAddress(address: string): BusEndpoint[] {
  const out: BusEndpoint[] = [];
  for (const entry of address.split(';')) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new OrchError('invalid-argument', `D-Bus address ${JSON.stringify(entry)}: no transport`);
    if (entry.slice(0, colon) !== 'unix') continue;
    const keys = new Map<string, string>();
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) keys.set(pair.slice(0, eq), unescapeValue(pair.slice(eq + 1)));
    }
    const path = keys.get('path');
    const abstract = keys.get('abstract');
    if (path !== undefined) out.push({ socketPath: path, bus: true, label: path });
    else if (abstract !== undefined) out.push({ socketPath: `\0${abstract}`, bus: true, label: `@${abstract}` });
  }
  return out;
}

/**
 * Where systemd is reached, as runc's driver (go-systemd) looks: root tries the system bus
 * ($DBUS_SYSTEM_BUS_ADDRESS or the default socket) then systemd's private socket; a rootless
 * caller its user bus ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus).
 */
export function systemdEndpoints(rootless: boolean, env: NodeJS.ProcessEnv = process.env): BusEndpoint[] {
  if (rootless) {
    const session = env['DBUS_SESSION_BUS_ADDRESS'];
    if (session) return parseBusAddress(session);
    const runtimeDir = env['XDG_RUNTIME_DIR'];
    if (!runtimeDir) throw new OrchError('system', 'rootless systemd cgroups: neither $DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR is set, so the user bus cannot be found');
    return [{ socketPath: `${runtimeDir}/bus`, bus: true, label: `${runtimeDir}/bus` }];
  }
  return [...parseBusAddress(env['DBUS_SYSTEM_BUS_ADDRESS'] || SYSTEM_BUS_DEFAULT), { socketPath: SYSTEMD_PRIVATE_SOCKET, bus: false, label: SYSTEMD_PRIVATE_SOCKET }];
}

/** %XX escapes of address values. */
function unescapeValue(value: string): string {
  return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
