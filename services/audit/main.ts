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

/** Composition root: builds the audit service's dependencies from configuration and starts listening. */
export async function startAudit(config: AuditConfig, shutdown: Shutdown): Promise<RunningServer> {
  const logger = createLogger({ service: 'audit', level: config.logLevel });
  const auth = resolveAuth(config.auth, config.listen.host, logger);
  const registry = createMetricsRegistry({ service: 'audit' });
  const readiness = createReadiness();
  const app = createAuditApp({ logger, registry, readiness, authenticate: authMiddlewareOf(auth) });
  return serveApp(app, { service: 'audit', address: config.listen, logger, readiness, shutdown });
}
