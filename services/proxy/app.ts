import type { Express, RequestHandler } from 'express';
import { createServiceApp, type Logger, type Readiness, type Registry } from '../common';

export interface ProxyAppDeps {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  /** API-key middleware, or undefined when the service runs unauthenticated (loopback or `PROXY_AUTH=none`). */
  authenticate?: RequestHandler;
}

/** The MCP enforcement proxy's HTTP app; for now the common endpoints only (health, ready, metrics). */
export function createProxyApp(deps: ProxyAppDeps): Express {
  return createServiceApp({ service: 'proxy', ...deps });
}
