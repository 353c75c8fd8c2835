import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, openSync, writeSync } from 'node:fs';
import { formatLogLine, type LogFormat, type LogLevel } from './log-line.js';
import { writeStderr } from './std-write.js';

/** How a Logger writes: to stderr or a file, in runc's text or JSON lines, with or without debug. */
export interface LoggerOptions {
  /** --log: append here instead of writing to stderr */
  file?: string;
  format?: LogFormat;
  /** --debug: also write debug lines */
  debug?: boolean;
  /** where stderr lines go (tests replace it) */
  writeStderr?: (text: string) => void;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warning: 2, error: 3 };

/** Where orchestrator code's warnings and debug lines go, for one call. */
export interface LogSink {
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, msg: string, fields?: Record<string, string | number | boolean>): void;
  debug(msg: string, fields?: Record<string, string | number | boolean>): void;
  info(msg: string, fields?: Record<string, string | number | boolean>): void;
  warn(msg: string, fields?: Record<string, string | number | boolean>): void;
  error(msg: string, fields?: Record<string, string | number | boolean>): void;
}

/**
 * runc's logging: logrus at info level (debug with --debug) to stderr, or to the --log file
 * (opened for append, synchronously written so nothing is lost when the process exits).
 */
export class Logger implements LogSink {
  private readonly file: string | undefined;
  private readonly format: LogFormat;
  private readonly minRank: number;
  private readonly writeStderr: (text: string) => void;
  private fd: number | undefined;

  constructor(options: LoggerOptions & { silent?: boolean } = {}) {
    this.file = options.file;
    this.format = options.format ?? 'text';
    this.minRank = options.silent ? Number.POSITIVE_INFINITY : options.debug ? RANK.debug : RANK.info;
    this.writeStderr = options.writeStderr ?? writeStderr;
  }

  /** Whether log lines already reach stderr (no --log), so an error needs no second copy there. */
  get toStderr(): boolean {
    return this.file === undefined && this.minRank !== Number.POSITIVE_INFINITY;
  }

  /** Whether lines of this level are written. */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.minRank;
  }

  /** A debug line (with --debug). */
  debug(msg: string, fields?: Record<string, string | number | boolean>): void {
    this.log('debug', msg, fields);
  }

  /** An info line. */
  info(msg: string, fields?: Record<string, string | number | boolean>): void {
    this.log('info', msg, fields);
  }

  /** A warning line. */
  warn(msg: string, fields?: Record<string, string | number | boolean>): void {
    this.log('warning', msg, fields);
  }

  /** An error line. */
  error(msg: string, fields?: Record<string, string | number | boolean>): void {
    this.log('error', msg, fields);
  }

  /** A line at level, if that level is written. */
  log(level: LogLevel, msg: string, fields?: Record<string, string | number | boolean>): void {
    if (!this.enabled(level)) return;
    const line = `${formatLogLine(this.format, { level, msg, time: new Date(), ...(fields ? { fields } : {}) })}\n`;
    if (this.file === undefined) {
      this.writeStderr(line);
      return;
    }
    try {
      // opened on first use: a command that logs nothing leaves no file behind
      this.fd ??= openSync(this.file, 'a', 0o644);
      writeSync(this.fd, line);
    } catch (err) {
      const errno = (err as NodeJS.ErrnoException).code ?? String(err);
      this.writeStderr(`orch: cannot write log file ${this.file}: ${errno}\n${line}`);
    }
  }

  /** Closes the log file, if one was opened. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

const silent = new Logger({ silent: true });
const bound = new AsyncLocalStorage<LogSink>();

/**
 * The sink of the call in progress: the one withLogger bound around it (the CLI: its --log /
 * --debug writer; the handle API: `debug`'s orch:log namespaces), silence otherwise. Never one for
 * the whole process: calls running at once in one process each keep their own.
 */
export function logger(): LogSink {
  return bound.getStore() ?? silent;
}

/** Runs fn (and everything it starts) with sink as its logger. */
export function withLogger<T>(sink: LogSink, fn: () => T): T {
  return bound.run(sink, fn);
}
