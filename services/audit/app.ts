import { Router, type Express, type RequestHandler } from 'express';
import { createServiceApp, type Logger, type Readiness, type Registry } from '../common';
import { createAuditMetrics } from './audit-metrics';
import type { AuditStore } from './audit-store';
import { acceptGatewayKeyHeader, gatewayAuditRoutes } from './http/gateway-audit-route';
import { eventBatchBodyReader, ingestRoutes } from './http/ingest-routes';
import { queryRoutes } from './http/query-routes';
import { storeErrorHandler } from './http/store-error-handler';
import { inlinePreparer, type BatchPreparer } from './ingest/batch-preparer';
import { createIngestService } from './ingest/ingest-service';
import { createRedactor } from './ingest/redaction';

export interface AuditAppDeps {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  store: AuditStore;
  /** Key names redacted in addition to the built-in list (`AUDIT_REDACT_KEYS`). */
  redactKeys?: readonly string[];
  /** API-key middleware, or undefined when the service runs unauthenticated (loopback or `AUDIT_AUTH=none`). */
  authenticate?: RequestHandler;
  /** More routes behind the same authentication, e.g. the SIEM forwarder's dead-letter API. */
  extraRoutes?: RequestHandler;
  /**
   * Prepares `POST /v1/events` bodies: worker threads in the service (`AUDIT_INGEST_WORKERS`, made with the
   * same `redactKeys`); on the event loop when not given.
   */
  preparer?: BatchPreparer;
}

// 1000 events with their payloads; larger bodies get 413.
const MAX_BODY = '16mb';

/** The audit service's HTTP app: ingest, query, export and verification over the given store. */
export function createAuditApp(deps: AuditAppDeps): Express {
  const metrics = createAuditMetrics(deps.registry);
  const redactor = createRedactor(deps.redactKeys);
  const ingest = createIngestService({ writer: deps.store.writer, redactor, preparer: deps.preparer ?? inlinePreparer(redactor), metrics });
  deps.readiness.register('database', async () => {
    await deps.store.database.ping();
    return { ready: true, detail: deps.store.database.engine };
  });

  const routes = Router();
  routes.use(ingestRoutes(ingest));
  routes.use(gatewayAuditRoutes(ingest));
  routes.use(queryRoutes(deps.store.queries, deps.store.verifier, metrics));
  if (deps.extraRoutes) routes.use(deps.extraRoutes);
  routes.use(storeErrorHandler());

  return createServiceApp({
    service: 'audit',
    logger: deps.logger,
    registry: deps.registry,
    readiness: deps.readiness,
    routes,
    bodyReaders: eventBatchBodyReader(MAX_BODY),
    jsonLimit: MAX_BODY,
    ...(deps.authenticate ? { authenticate: acceptGatewayKeyHeader(deps.authenticate) } : {}),
  });
}
