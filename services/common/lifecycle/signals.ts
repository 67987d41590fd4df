import type { Logger } from 'pino';
import type { Shutdown } from './shutdown';

export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * SIGTERM or SIGINT runs the shutdown and exits 0 when it went cleanly (1 when a hook failed).
 * If it has not finished within the deadline, or a second signal arrives, the process exits 1 at once.
 */
export function exitOnSignals(shutdown: Shutdown, logger: Logger, deadlineMs: number = SHUTDOWN_DEADLINE_MS): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.started) {
      logger.warn({ signal }, 'second signal: exiting without finishing shutdown');
      process.exit(1);
    }
    const deadline = setTimeout(() => {
      logger.error({ deadline_ms: deadlineMs }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    void shutdown.run(signal).then((ok) => process.exit(ok ? 0 : 1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
