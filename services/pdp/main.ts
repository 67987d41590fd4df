import {
  authMiddlewareOf,
  createLogger,
  createMetricsRegistry,
  createReadiness,
  resolveAuth,
  serveApp,
  type PdpConfig,
  type RunningServer,
  type Shutdown,
} from '../common';
import { createPdpApp } from './app';

/** Composition root: builds the policy decision point's dependencies from configuration and starts listening. */
export async function startPdp(config: PdpConfig, shutdown: Shutdown): Promise<RunningServer> {
  const logger = createLogger({ service: 'pdp', level: config.logLevel });
  const auth = resolveAuth(config.auth, config.listen.host, logger);
  const registry = createMetricsRegistry({ service: 'pdp' });
  const readiness = createReadiness();
  const app = createPdpApp({ logger, registry, readiness, authenticate: authMiddlewareOf(auth) });
  return serveApp(app, { service: 'pdp', address: config.listen, logger, readiness, shutdown });
}
