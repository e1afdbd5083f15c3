import { formatWithOptions } from 'node:util';

export type LogLevel = 'info' | 'warn' | 'error';

/** One log line: ISO date and time (UTC), level, message; newlines inside the message are kept (stack traces). */
export function formatLogLine(level: LogLevel, message: string, date = new Date()): string {
  return `${date.toISOString()} ${level} ${message}`;
}

/** Control characters and spaces in a logged path are escaped, so one request is always one line. */
function toLoggablePath(path: string): string {
  const shortened = path.length > 512 ? `${path.slice(0, 512)}…` : path;
  return shortened.replace(/[\u0000-\u0020\u007f-\u009f]/g, (character) => encodeURIComponent(character));
}

/** `LOG_REQUESTS=1`: method, path (never the query string), status and milliseconds; never the client's address. */
export function formatRequestLine(request: { method: string; path: string; status: number; milliseconds: number }): string {
  return `${request.method} ${toLoggablePath(request.path)} ${request.status} ${request.milliseconds.toFixed(1)}ms`;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(write: { out(line: string): void; err(line: string): void }): Logger {
  return {
    info: (message) => write.out(formatLogLine('info', message)),
    warn: (message) => write.err(formatLogLine('warn', message)),
    error: (message) => write.err(formatLogLine('error', message)),
  };
}

type ConsoleMethod = 'log' | 'info' | 'debug' | 'warn' | 'error';

/**
 * Astro's logger and the routes write through `console` with a time of day only; in the server
 * process every console line gets the date too. (Astro's own logger destination setting would
 * also change the build's output, which is not this module's business.)
 */
export function addDatesToConsole(
  target: Pick<Console, ConsoleMethod>,
  streams: { out(line: string): void; err(line: string): void },
): void {
  const levels: Record<ConsoleMethod, LogLevel> = { log: 'info', info: 'info', debug: 'info', warn: 'warn', error: 'error' };
  for (const method of Object.keys(levels) as ConsoleMethod[]) {
    const level = levels[method];
    const write = level === 'info' ? streams.out : streams.err;
    target[method] = (...args: unknown[]) => write(formatLogLine(level, formatWithOptions({ colors: false }, ...args)));
  }
}
