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
import { createPreparationWorkers } from './ingest/preparation-workers';
import { startMaintenanceLoop } from './maintenance/maintenance-loop';
import { openMigratedDatabase } from './open-store';
import { createSiemForwarder } from './siem/siem-forwarder';
import { parseSinks, sinkNamesOf } from './siem/sink-config';

const MAINTENANCE_INTERVAL_MS = 3_600_000;

/** Composition root: builds the audit service's dependencies from configuration and starts listening. */
export async function startAudit(config: AuditConfig, shutdown: Shutdown): Promise<RunningServer> {
  const logger = createLogger({ service: 'audit', level: config.logLevel });
  const auth = resolveAuth(config.auth, config.listen.host, logger);
  const sinks = parseSinks(config.sinks);
  const sinkNames = sinkNamesOf(sinks);
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
  const forwarder = createSiemForwarder({ database, sinks, recentEvents: store.recentEvents, ingestClaims: store.ingestClaims, registry, logger });
  forwarder.start();
  shutdown.onStop('siem forwarder', () => forwarder.stop());
  const preparer = config.ingestWorkers > 0 ? createPreparationWorkers({ workers: config.ingestWorkers, redactKeys: config.redactKeys, logger }) : undefined;
  if (preparer) shutdown.onClose('audit preparation workers', () => preparer.close());
  const app = createAuditApp({
    logger,
    registry,
    readiness,
    store,
    redactKeys: config.redactKeys,
    authenticate: authMiddlewareOf(auth),
    extraRoutes: forwarder.routes,
    ...(preparer ? { preparer } : {}),
  });
  return serveApp(app, { service: 'audit', address: config.listen, logger, readiness, shutdown });
}
