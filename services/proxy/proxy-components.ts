import type { RequestListener } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import { Router } from 'express';
import { createServiceApp, type ApiKeysSource, type Logger, type Readiness, type Registry } from '../common';
import { createRequestAudit, type AuditSink } from './audit/request-audit';
import type { LocalPrincipal, UpstreamConfig } from './config/servers-file';
import type { ProxySettings } from './config/proxy-settings';
import { createAuthorizer } from './enforcement/authorizer';
import { mcpListener } from './http/mcp-listener';
import { createMcpHandler, mcpRouter } from './http/mcp-routes';
import { createOriginPolicy } from './http/origin-policy';
import { createSessionRegistry, type SessionRegistry } from './http/session-registry';
import { createIdentity } from './identity/identity';
import { PROTECTED_RESOURCE_PATH, protectedResourceMetadataHandler } from './identity/protected-resource-metadata';
import { createDispatcher, type Dispatcher, type SessionView } from './mcp/request-dispatcher';
import { createProxyMetrics } from './mcp/proxy-metrics';
import { createPdpClient, type PdpClient } from './pdp-client/pdp-client';
import { createToolPins } from './pinning/tool-pins';
import { toolPinsApi } from './pinning/tool-pins-api';
import { createMemoryRateLimiter } from './rate-limit/memory-rate-limiter';
import { unlimited, type RateLimiter } from './rate-limit/rate-limiter';
import { createUpstreamPool, type UpstreamPool } from './upstreams/upstream-pool';
import type { JWTVerifyGetKey } from 'jose';

export interface ProxyOptions {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  settings: ProxySettings;
  servers: Record<string, UpstreamConfig>;
  /** Directory relative stdio `cwd`s are resolved against (the config file's). */
  serversBaseDir: string;
  localPrincipal: LocalPrincipal | undefined;
  keyPrincipals?: Record<string, LocalPrincipal>;
  pdpUrl: string;
  pdpApiKey?: string;
  audit: AuditSink;
  apiKeys?: ApiKeysSource;
  /** Replaces the limiter built from settings (Redis-backed one from main.ts, or tests). */
  limiter?: RateLimiter;
  /** JWKS override for tests. */
  jwtKeys?: JWTVerifyGetKey;
  /** Address the listener binds; decides the default Origin policy. */
  listenHost: string;
  /** The tool pins API accepts calls without an API key (the proxy runs unauthenticated); default false. */
  pinsApiWithoutKeys?: boolean;
}

export interface ProxyComponents {
  /** What the HTTP server runs: `/mcp` and `/mcp/{server}` on the fast path, everything else through `app`. */
  listener: RequestListener;
  app: Express;
  pool: UpstreamPool;
  dispatcher: Dispatcher;
  sessions: SessionRegistry;
  pdp: PdpClient;
  /** Sessions that are not HTTP (the stdio front); they get list-change notifications too. */
  localSessions: Set<SessionView>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_LOCAL_PRINCIPAL: LocalPrincipal = { id: 'anonymous', type: 'user' };
// Largest request body: a tools/call with large arguments, well under what one MCP message should be.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Builds the proxy from its dependencies: upstreams, PDP client, enforcement, sessions, HTTP routes. */
export function createProxyComponents(options: ProxyOptions): ProxyComponents {
  const { settings, logger } = options;
  let pool: UpstreamPool | undefined;
  const metrics = createProxyMetrics(options.registry, () => (pool?.all() ?? []).map((upstream) => ({ name: upstream.name, up: upstream.state() === 'ready' })));
  const sessions = createSessionRegistry(settings.sessionTtlMs, {
    changed() {
      metrics.sessions.set({ route: 'all' }, sessions.count('*'));
      metrics.sessions.set({ route: 'server' }, sessions.count() - sessions.count('*'));
    },
    ended: (view) => dispatcher.sessionEnded(view),
  });
  const pdp = createPdpClient({
    url: options.pdpUrl,
    apiKey: options.pdpApiKey,
    timeoutMs: settings.pdpTimeoutMs,
    breakerResetMs: settings.pdpBreakerResetMs,
    cacheSize: settings.decisionCacheSize,
    registry: options.registry,
  });
  const localSessions = new Set<SessionView>();
  const audit = createRequestAudit(options.audit);
  const pins = createToolPins(settings.pinsFile, logger);
  pins.onChange = (server, tool, check) =>
    audit.record({ caller: undefined, method: 'tools/definition_changed', server, tool, latencyMs: 0, outcome: 'definition_changed', extra: { definition_hash: check.hash } });
  const limiter =
    options.limiter ??
    (settings.rateLimitPerSecond > 0 ? createMemoryRateLimiter({ capacity: settings.rateLimitBurst, refillPerSecond: settings.rateLimitPerSecond }) : unlimited);
  const dispatcher = createDispatcher({
    pool: () => pool as UpstreamPool,
    authorizer: createAuthorizer(pdp),
    pins,
    limiter,
    audit,
    metrics,
    logger,
    sessions: function* () {
      yield* sessions.views();
      yield* localSessions;
    },
  });
  pool = createUpstreamPool({
    servers: options.servers,
    baseDir: options.serversBaseDir,
    logger,
    events: dispatcher,
    readiness: options.readiness,
    requestTimeoutMs: settings.upstreamTimeoutMs,
    backoff: { initialMs: 250, maxMs: 30_000 },
  });
  const identity = createIdentity({
    jwt: settings.jwt ? { ...settings.jwt, keys: options.jwtKeys } : undefined,
    apiKeys: options.apiKeys,
    keyPrincipals: options.keyPrincipals,
    local: options.localPrincipal ?? DEFAULT_LOCAL_PRINCIPAL,
  });
  const metadataUrl = new URL(PROTECTED_RESOURCE_PATH, settings.resourceUrl).toString();
  const routes = Router();
  routes.get(PROTECTED_RESOURCE_PATH, protectedResourceMetadataHandler({ resource: settings.resourceUrl, authorizationServers: settings.jwt ? [settings.jwt.issuer] : [] }));
  routes.get(`${PROTECTED_RESOURCE_PATH}${new URL(settings.resourceUrl).pathname}`, protectedResourceMetadataHandler({ resource: settings.resourceUrl, authorizationServers: settings.jwt ? [settings.jwt.issuer] : [] }));
  routes.use(toolPinsApi({ pins, apiKeys: options.apiKeys, openWithoutKeys: options.pinsApiWithoutKeys ?? false, logger }));
  const handleMcp = createMcpHandler({
    dispatcher,
    pool,
    identity,
    sessions,
    origins: createOriginPolicy(settings.allowedOrigins, options.listenHost),
    resourceMetadataUrl: metadataUrl,
    logger,
  });
  routes.use(mcpRouter(handleMcp));
  const app = createServiceApp({ service: 'proxy', logger, registry: options.registry, readiness: options.readiness, routes, jsonLimit: MAX_BODY_BYTES });
  const startedPool = pool;
  return {
    listener: mcpListener({ handle: handleMcp, logger, registry: options.registry, maxBodyBytes: MAX_BODY_BYTES }, app),
    app,
    pool: startedPool,
    dispatcher,
    sessions,
    pdp,
    localSessions,
    start: () => startedPool.start(),
    async close() {
      await sessions.closeAll();
      await startedPool.close();
      await limiter.close();
      pdp.close();
    },
  };
}

export function serversBaseDir(serversFile: string): string {
  return path.dirname(serversFile);
}
