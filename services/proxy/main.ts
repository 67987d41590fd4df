import {
  authMiddlewareOf,
  createLogger,
  createMetricsRegistry,
  createReadiness,
  resolveAuth,
  serveApp,
  type ProxyConfig,
  type RunningServer,
  type Shutdown,
} from '../common';
import { createProxyApp } from './app';

/** Composition root: builds the MCP enforcement proxy's dependencies from configuration and starts listening. */
export async function startProxy(config: ProxyConfig, shutdown: Shutdown): Promise<RunningServer> {
  const logger = createLogger({ service: 'proxy', level: config.logLevel });
  const auth = resolveAuth(config.auth, config.listen.host, logger);
  const registry = createMetricsRegistry({ service: 'proxy' });
  const readiness = createReadiness();
  const app = createProxyApp({ logger, registry, readiness, authenticate: authMiddlewareOf(auth) });
  return serveApp(app, { service: 'proxy', address: config.listen, logger, readiness, shutdown });
}
