import type { Express, RequestHandler } from 'express';
import { createServiceApp, type Logger, type Readiness, type Registry } from '../common';

export interface PdpAppDeps {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  /** API-key middleware, or undefined when the service runs unauthenticated (loopback or `PDP_AUTH=none`). */
  authenticate?: RequestHandler;
}

/** The policy decision point's HTTP app; for now the common endpoints only (health, ready, metrics). */
export function createPdpApp(deps: PdpAppDeps): Express {
  return createServiceApp({ service: 'pdp', ...deps });
}
