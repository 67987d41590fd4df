import { Router, type Express, type RequestHandler } from 'express';
import { createServiceApp, type Logger, type Readiness, type Registry } from '../common';
import { createAuditMetrics } from './audit-metrics';
import type { AuditStore } from './audit-store';
import { acceptGatewayKeyHeader, gatewayAuditRoutes } from './http/gateway-audit-route';
import { ingestRoutes } from './http/ingest-routes';
import { queryRoutes } from './http/query-routes';
import { storeErrorHandler } from './http/store-error-handler';
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
}

// 1000 events with their payloads; larger bodies get 413.
const MAX_BODY = '16mb';

/** The audit service's HTTP app: ingest, query, export and verification over the given store. */
export function createAuditApp(deps: AuditAppDeps): Express {
  const metrics = createAuditMetrics(deps.registry);
  const ingest = createIngestService(deps.store.writer, createRedactor(deps.redactKeys), metrics);
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
    jsonLimit: MAX_BODY,
    ...(deps.authenticate ? { authenticate: acceptGatewayKeyHeader(deps.authenticate) } : {}),
  });
}
