import type { Logger } from 'pino';
import type { AuditDatabase } from '../store/audit-database';
import type { Partitions } from '../store/partitions';
import { autovacuumRuns, vacuumDeliveryQueue } from './queue-vacuum';
import { applyRetention } from './retention';

export interface MaintenanceSettings {
  /** Partitions created ahead of time, in days after today (UTC). */
  partitionsAheadDays: number;
  /** Undefined: keep everything. */
  retentionDays: number | undefined;
  intervalMs: number;
}

export interface MaintenanceLoop {
  /** One pass now (also run by the timer): partitions ahead, retention, then the delivery queue's vacuum unless autovacuum does it. */
  runOnce(): Promise<void>;
  stop(): void;
}

/** Periodic housekeeping of the audit store; failures are logged and retried at the next pass. */
export function startMaintenanceLoop(
  database: AuditDatabase,
  partitions: Partitions,
  settings: MaintenanceSettings,
  logger: Logger,
): MaintenanceLoop {
  let running: Promise<void> | undefined;
  let autovacuum: boolean | undefined;

  async function pass(): Promise<void> {
    try {
      await partitions.ensureAhead(new Date(), settings.partitionsAheadDays);
      if (settings.retentionDays !== undefined) {
        const outcome = await applyRetention(database, partitions, settings.retentionDays);
        if (outcome.dropped.length > 0) logger.info({ dropped: outcome.dropped }, 'retention dropped audit partitions');
      }
      if (autovacuum === undefined) {
        autovacuum = await autovacuumRuns(database);
        if (!autovacuum && database.engine === 'postgres') {
          logger.warn('autovacuum is off on the database server: audit_deliveries is vacuumed at each maintenance pass instead; turn autovacuum on');
        }
      }
      if (!autovacuum) await vacuumDeliveryQueue(database);
    } catch (error) {
      logger.warn({ err: error }, 'audit store maintenance failed; retrying at the next pass');
    }
  }

  const runOnce = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), settings.intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
