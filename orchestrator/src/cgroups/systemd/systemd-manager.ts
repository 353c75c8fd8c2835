import { OrchError } from '../../errors/orch-error.js';
import { logger } from '../../log/logger.js';
import { systemdEndpoints, type BusEndpoint } from './dbus/bus-address.js';
import { DbusConnection, DbusError } from './dbus/connection.js';
import type { DbusMessage } from './dbus/message.js';
import { Variant, type DbusValue } from './dbus/wire.js';

/** A unit property as StartTransientUnit and SetUnitProperties take it: a(sv). */
export type UnitProperty = [name: string, value: Variant];

const SYSTEMD = 'org.freedesktop.systemd1';
const MANAGER_PATH = '/org/freedesktop/systemd1';
const MANAGER = 'org.freedesktop.systemd1.Manager';
/** how long runc waits for a unit's start or stop job */
const JOB_TIMEOUT_MS = 30_000;

/**
 * systemd's manager object over D-Bus: the calls the cgroup driver makes (runc's go-systemd
 * use), with jobs waited for through their JobRemoved signal.
 */
export class SystemdManager {
  private sdVersion: number | undefined;

  private constructor(
    private readonly conn: DbusConnection,
    private readonly jobs: JobWatcher,
  ) {}

  /** endpoints: where to look (tests); by default as runc looks (bus-address.ts) */
  static async connect(rootless: boolean, endpoints: BusEndpoint[] = systemdEndpoints(rootless)): Promise<SystemdManager> {
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      let conn: DbusConnection;
      try {
        conn = await DbusConnection.open(endpoint.socketPath, endpoint);
      } catch (err) {
        failures.push(`${endpoint.label}: ${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))}`);
        continue;
      }
      const jobs = new JobWatcher(conn);
      try {
        // on a bus, JobRemoved reaches only those who match it; a private connection gets every signal
        if (endpoint.bus) {
          await conn.call({
            destination: 'org.freedesktop.DBus',
            path: '/org/freedesktop/DBus',
            interface: 'org.freedesktop.DBus',
            member: 'AddMatch',
            signature: 's',
            body: [`type='signal',sender='${SYSTEMD}',interface='${MANAGER}',member='JobRemoved',path='${MANAGER_PATH}'`],
          });
        }
      } catch (err) {
        conn.close();
        throw err;
      }
      logger().debug(`systemd cgroup driver: connected to ${endpoint.label}`);
      return new SystemdManager(conn, jobs);
    }
    const hint = rootless ? ' (rootless: is the user session bus running? Debian: dbus-user-session)' : '';
    throw new OrchError('system', `failed to connect to dbus${hint}: ${failures.join('; ')}`);
  }

  close(): void {
    this.conn.close();
  }

  /** The manager's version number: "252.38-1~deb12u1" → 252 (runc's systemdVersionAtoi). */
  async version(): Promise<number> {
    if (this.sdVersion === undefined) {
      const text = String(await this.managerProperty('Version'));
      const m = /^"?v?(\d+)/.exec(text);
      if (!m) throw new OrchError('system', `systemd version ${JSON.stringify(text)}: cannot parse`);
      this.sdVersion = Number(m[1]);
    }
    return this.sdVersion;
  }

  /** The manager's own cgroup (a user manager's, for rootless paths). */
  async controlGroup(): Promise<string> {
    return String(await this.managerProperty('ControlGroup'));
  }

  /**
   * Starts a transient unit and waits for its job. A unit of that name that exists already may be
   * a failed leftover: it is reset and the start tried once more, as runc does.
   */
  async startTransientUnit(name: string, properties: UnitProperty[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.runJob(name, 'create', () => this.manager('StartTransientUnit', 'ssa(sv)a(sa(sv))', [name, 'replace', properties, []]));
        return;
      } catch (err) {
        if (!(err instanceof DbusError) || err.errorName !== 'org.freedesktop.systemd1.UnitExists' || attempt > 0) {
          throw new OrchError('system', `unable to start unit ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        await this.resetFailedUnit(name);
      }
    }
  }

  /** Stops a unit and waits; a unit that is gone already is fine. A failed one is reset so systemd forgets it. */
  async stopUnit(name: string): Promise<void> {
    try {
      await this.runJob(name, 'remove', () => this.manager('StopUnit', 'ss', [name, 'replace']));
    } catch (err) {
      if (!(err instanceof DbusError && err.errorName === 'org.freedesktop.systemd1.NoSuchUnit')) throw err;
    }
    await this.resetFailedUnit(name);
  }

  /** Forgets a failed unit; quiet when there is nothing to reset. */
  async resetFailedUnit(name: string): Promise<void> {
    try {
      await this.manager('ResetFailedUnit', 's', [name]);
    } catch (err) {
      if (!(err instanceof DbusError)) throw err;
      logger().debug(`reset-failed ${name}: ${err.message}`);
    }
  }

  /** Changes properties of a live unit (runtime only: not written to /etc, as runc). */
  async setUnitProperties(name: string, properties: UnitProperty[]): Promise<void> {
    if (properties.length === 0) return;
    try {
      await this.manager('SetUnitProperties', 'sba(sv)', [name, true, properties]);
    } catch (err) {
      throw new OrchError('system', `unable to set properties of unit ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private async managerProperty(property: string): Promise<DbusValue> {
    const [value] = await this.conn.call({
      destination: SYSTEMD,
      path: MANAGER_PATH,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: [MANAGER, property],
    });
    if (!(value instanceof Variant)) throw new OrchError('system', `systemd property ${property}: not a variant`);
    return value.value;
  }

  private manager(member: string, signature: string, body: DbusValue[]): Promise<DbusValue[]> {
    return this.conn.call({ destination: SYSTEMD, path: MANAGER_PATH, interface: MANAGER, member, signature, body });
  }

  /** Runs a call that returns a job path and waits for that job's end; anything but "done" fails. */
  private async runJob(unit: string, verb: 'create' | 'remove', call: () => Promise<DbusValue[]>): Promise<void> {
    const watch = this.jobs.watch();
    try {
      const [job] = await call();
      if (typeof job !== 'string') throw new OrchError('system', `systemd returned no job for ${unit}`);
      const result = await watch.result(job, JOB_TIMEOUT_MS);
      if (result === undefined) {
        await this.resetFailedUnit(unit);
        throw new OrchError('system', `timeout waiting for systemd to ${verb} ${unit}`);
      }
      if (result !== 'done') {
        if (verb === 'create') {
          await this.resetFailedUnit(unit);
          throw new OrchError('system', `error creating systemd unit \`${unit}\`: got \`${result}\``);
        }
        logger().warn(`error removing unit \`${unit}\`: got \`${result}\`. Continuing...`);
      }
    } finally {
      watch.stop();
    }
  }
}

/**
 * JobRemoved signals (job id, job path, unit, result), collected from before the call that makes
 * the job: a quick job can end before its method reply is read.
 */
class JobWatcher {
  constructor(private readonly conn: DbusConnection) {}

  watch(): { result(job: string, timeoutMs: number): Promise<string | undefined>; stop(): void } {
    const seen = new Map<string, string>();
    let waiting: { job: string; resolve: (r: string) => void } | undefined;
    const stop = this.conn.onSignal((m: DbusMessage) => {
      if (m.interface !== MANAGER || m.member !== 'JobRemoved' || m.signature !== 'uoss') return;
      const [, job, , result] = m.body ?? [];
      if (typeof job !== 'string' || typeof result !== 'string') return;
      if (waiting?.job === job) waiting.resolve(result);
      else seen.set(job, result);
    });
    return {
      stop,
      result: (job, timeoutMs) => {
        const already = seen.get(job);
        if (already !== undefined) return Promise.resolve(already);
        return new Promise((resolve) => {
          const timer = setTimeout(() => resolve(undefined), timeoutMs);
          waiting = {
            job,
            resolve: (r) => {
              clearTimeout(timer);
              resolve(r);
            },
          };
        });
      },
    };
  }
}
