import type { Express, RequestHandler } from 'express';
import { createServiceApp, type Logger, type Readiness, type Registry } from '../common';

export interface AuditAppDeps {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  /** API-key middleware, or undefined when the service runs unauthenticated (loopback or `AUDIT_AUTH=none`). */
  authenticate?: RequestHandler;
}

/** The audit service's HTTP app; for now the common endpoints only (health, ready, metrics). */
export function createAuditApp(deps: AuditAppDeps): Express {
  return createServiceApp({ service: 'audit', ...deps });
}
