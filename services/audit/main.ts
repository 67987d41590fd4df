import {
  authMiddlewareOf,
  createLogger,
  createMetricsRegistry,
  createReadiness,
  resolveAuth,
  serveApp,
  type AuditConfig,
  type RunningServer,
  type Shutdown,
} from '../common';
import { createAuditApp } from './app';
import { createAuditStore } from './audit-store';
import { sinkNamesOf } from './config/sink-names';
import { startMaintenanceLoop } from './maintenance/maintenance-loop';
import { openMigratedDatabase } from './open-store';

const MAINTENANCE_INTERVAL_MS = 3_600_000;

/** Composition root: builds the audit service's dependencies from configuration and starts listening. */
export async function startAudit(config: AuditConfig, shutdown: Shutdown): Promise<RunningServer> {
  const logger = createLogger({ service: 'audit', level: config.logLevel });
  const auth = resolveAuth(config.auth, config.listen.host, logger);
  const sinkNames = sinkNamesOf(config.sinks);
  const { database, migrations } = await openMigratedDatabase(config);
  shutdown.onClose('audit database', () => database.close());
  logger.info({ engine: database.engine, applied: migrations.applied, sinks: sinkNames }, 'audit store ready');

  const store = createAuditStore(database, sinkNames);
  const maintenance = startMaintenanceLoop(
    database,
    store.partitions,
    { partitionsAheadDays: config.partitionsAheadDays, retentionDays: config.retentionDays, intervalMs: MAINTENANCE_INTERVAL_MS },
    logger,
  );
  shutdown.onStop('audit maintenance', () => maintenance.stop());
  await maintenance.runOnce();

  const registry = createMetricsRegistry({ service: 'audit' });
  const readiness = createReadiness();
  const app = createAuditApp({
    logger,
    registry,
    readiness,
    store,
    redactKeys: config.redactKeys,
    authenticate: authMiddlewareOf(auth),
  });
  return serveApp(app, { service: 'audit', address: config.listen, logger, readiness, shutdown });
}
