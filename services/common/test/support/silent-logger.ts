import { createLogger, type Logger } from '../../logger';

export function silentLogger(): Logger {
  return createLogger({ service: 'test', level: 'silent', pretty: false });
}
