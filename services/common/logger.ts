import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/env-fields';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Bound as the `service` field of every line. */
  service: string;
  level?: LogLevel;
  /** Human-readable output; defaults to true when stdout is a terminal and pino-pretty is installed. */
  pretty?: boolean;
  /** Where lines go (tests pass a stream to read them); defaults to stdout. */
  destination?: DestinationStream;
}

/** Header and field names whose values must never reach a log line. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  'token',
  'password',
];

export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
  };
  // Synchronous writes keep lines in order and lose none at exit; request lines log at debug, so volume stays low.
  const destination = options.destination ?? prettyStreamIfWanted(options.pretty) ?? pino.destination({ dest: 1, sync: true });
  return pino(pinoOptions, destination);
}

/** pino-pretty is a development dependency: without it, a terminal gets JSON like everyone else. */
function prettyStreamIfWanted(pretty: boolean | undefined): DestinationStream | undefined {
  if (!(pretty ?? process.stdout.isTTY)) return undefined;
  try {
    const createPrettyStream = require('pino-pretty') as (options: object) => DestinationStream;
    return createPrettyStream({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}
