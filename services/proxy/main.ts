import fs from 'node:fs';
import {
  createLogger,
  createMetricsRegistry,
  createReadiness,
  fileApiKeysSource,
  resolveAuth,
  serveApp,
  type ProxyConfig,
  type RunningServer,
  type Shutdown,
} from '../common';
import { createAuditClient, defaultSpoolDir } from '../common/audit-client';
import { loadProxySettings } from './config/proxy-settings';
import { loadServersFile } from './config/servers-file';
import { createProxyComponents, serversBaseDir } from './proxy-components';
import { createRedisRateLimiter } from './rate-limit/redis-rate-limiter';

/** Composition root: builds the MCP enforcement proxy from configuration, connects the upstreams and listens. */
export async function startProxy(config: ProxyConfig, shutdown: Shutdown): Promise<RunningServer> {
  const logger = createLogger({ service: 'proxy', level: config.logLevel });
  const settings = loadProxySettings(process.env, config.listen);
  const serversFile = loadServersFile(config.serversFile, process.env);
  // With an OAuth issuer configured, bearer JWTs authenticate callers even without an API keys file.
  const keysConfigured = config.auth.keysFileExplicit || fs.existsSync(config.auth.keysFile);
  const auth = settings.jwt && !keysConfigured ? undefined : resolveAuth(config.auth, config.listen.host, logger);
  const registry = createMetricsRegistry({ service: 'proxy' });
  const readiness = createReadiness();
  const audit = createAuditClient({ url: config.auditUrl, apiKey: config.auditApiKey, spoolDir: defaultSpoolDir('proxy'), logger, registry });
  shutdown.onFlush('proxy audit client', () => audit.close());
  const limiter =
    settings.redisUrl && settings.rateLimitPerSecond > 0
      ? createRedisRateLimiter(settings.redisUrl, { capacity: settings.rateLimitBurst, refillPerSecond: settings.rateLimitPerSecond }, logger)
      : undefined;
  const proxy = createProxyComponents({
    logger,
    registry,
    readiness,
    settings,
    servers: serversFile.servers,
    serversBaseDir: serversBaseDir(config.serversFile),
    localPrincipal: serversFile.localPrincipal,
    keyPrincipals: serversFile.keyPrincipals,
    pdpUrl: config.pdpUrl,
    pdpApiKey: config.pdpApiKey,
    audit,
    apiKeys: auth?.kind === 'api-keys' ? fileApiKeysSource(auth.file, logger) : undefined,
    limiter,
    listenHost: config.listen.host,
    pinsApiWithoutKeys: auth?.kind === 'none',
  });
  shutdown.onClose('proxy upstreams', () => proxy.close());
  void proxy.start();
  return serveApp(proxy.listener, { service: 'proxy', address: config.listen, logger, readiness, shutdown });
}
