import { cgroupDriver } from '../cgroups/driver.js';
import { statsEventData } from '../cgroups/stats/event-data.js';
import { goJson, type GoJsonValue } from '../cgroups/stats/go-json.js';
import { OrchError } from '../errors/orch-error.js';
import { logger } from '../log/logger.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerStatus } from '../state/container-status.js';
import { validateContainerId } from '../state/container-id.js';
import { StateStore } from '../state/state-store.js';
import type { RuntimeOptions } from './options.js';

/**
 * `events`: runc's event stream. A "stats" event carries runc's types.Stats (u64 counters as
 * bigint); an "oom" event has no data. formatEvent() gives the JSON line runc prints.
 */
export interface ContainerEvent {
  type: 'stats' | 'oom';
  id: string;
  data?: { [key: string]: GoJsonValue };
}

/** The container whose events are wanted. */
export interface EventsOptions extends RuntimeOptions {
  id: string;
}

/** One "stats" event now (`events --stats`). */
export function containerStats(opts: EventsOptions): ContainerEvent {
  const record = runningRecord(opts);
  return { type: 'stats', id: record.id, data: statsEventData(cgroupDriver(record.cgroup).stats()) };
}

/** A running event stream (`events`): settles when the container is gone, or on stop(). */
export interface EventStream {
  /** settles when the stream ends: the container's cgroup is gone (v1) or empty (v2), or stop() */
  done: Promise<void>;
  stop(): void;
}

/**
 * Streams events until the container's processes are gone: a "stats" event every intervalMs
 * (the first after one interval, as runc's ticker), an "oom" event for each OOM. A snapshot that
 * fails is logged and skipped, as runc does.
 */
export async function streamContainerEvents(opts: EventsOptions & { intervalMs: number }, onEvent: (event: ContainerEvent) => void): Promise<EventStream> {
  if (!(opts.intervalMs > 0)) throw new OrchError('invalid-argument', 'duration interval must be greater than 0');
  const record = runningRecord(opts);
  const oom = await cgroupDriver(record.cgroup).watchOom(() => onEvent({ type: 'oom', id: record.id }));
  const timer = setInterval(() => {
    try {
      onEvent({ type: 'stats', id: record.id, data: statsEventData(cgroupDriver(record.cgroup).stats()) });
    } catch (err) {
      logger().error(err instanceof Error ? err.message : String(err));
    }
  }, opts.intervalMs);
  const done = oom.closed.finally(() => clearInterval(timer));
  return {
    done,
    stop: () => {
      clearInterval(timer);
      oom.stop();
    },
  };
}

/** The line runc prints for an event: Go's json.Encoder output, newline included. */
export function formatEvent(event: ContainerEvent): string {
  const value: { [key: string]: GoJsonValue } = { type: event.type, id: event.id };
  if (event.data !== undefined) value['data'] = event.data;
  return `${goJson(value)}\n`;
}

function runningRecord(opts: EventsOptions): ContainerRecord {
  validateContainerId(opts.id);
  const store = new StateStore(opts.root);
  const record = store.read(opts.id);
  if (containerStatus(record, store) === 'stopped') throw new OrchError('bad-state', `container with id ${opts.id} is not running`);
  return record;
}
