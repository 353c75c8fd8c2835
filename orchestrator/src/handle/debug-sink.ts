import createDebug from 'debug';
import type { LogLevel } from '../log/log-line.js';
import { withLogger, type LogSink } from '../log/logger.js';

/** The handle API's log: `debug` namespaces orch:log:<level>, shown with DEBUG=orch:* (never stderr on its own). */
const channels: Readonly<Record<LogLevel, createDebug.Debugger>> = {
  debug: createDebug('orch:log:debug'),
  info: createDebug('orch:log:info'),
  warning: createDebug('orch:log:warning'),
  error: createDebug('orch:log:error'),
};

const debugSink: LogSink = {
  enabled: (level) => channels[level].enabled,
  log: (level, msg, fields) => channels[level]('%s%s', msg, fields ? ` ${JSON.stringify(fields)}` : ''),
  debug: (msg, fields) => debugSink.log('debug', msg, fields),
  info: (msg, fields) => debugSink.log('info', msg, fields),
  warn: (msg, fields) => debugSink.log('warning', msg, fields),
  error: (msg, fields) => debugSink.log('error', msg, fields),
};

/** Runs a handle operation with its log going to `debug` (each call its own sink, never the process's). */
export function traced<T>(fn: () => T): T {
  return withLogger(debugSink, fn);
}
