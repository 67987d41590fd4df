import type { RequestListener } from 'node:http';
import express, { Router, type RequestHandler } from 'express';
import { createServiceApp, type Logger, type Readiness, type Registry } from '../common';
import type { BundleSource } from './bundles/bundle-source';
import { CONSOLE_API_PATH, CONSOLE_PATH, consoleApi, type ConsoleOptions } from './console/console-api';
import { consoleAssets } from './console/console-assets';
import { consoleAuthentication } from './console/console-token-auth';
import { createDecider } from './decisions/decider';
import { createDecisionCache } from './decisions/decision-cache';
import { createDecisionMetrics } from './decisions/decision-metrics';
import { createDecisionPoint } from './decisions/decision-point';
import type { DecisionRecorder } from './decisions/decision-recorder';
import { openApiDocument } from './openapi/openapi-document';
import { PDP_OPERATIONS } from './openapi/pdp-operations';
import { DEFAULT_PDP_SETTINGS, type PdpSettings } from './pdp-settings';
import { createSubjectTokenVerifier, type SubjectTokenVerifier } from './principals/subject-token-verifier';
import { authorizeRoutes } from './endpoints/authorize-endpoints';
import { authzenRoutes } from './endpoints/authzen-endpoints';
import { dataRoutes } from './endpoints/data-endpoints';
import { gatewayRegistryRoutes } from './endpoints/gateway-registry-endpoints';
import type { PostRoute } from './endpoints/json-endpoint';
import type { PdpServices } from './endpoints/pdp-services';
import { fastPostListener } from './fast-path/fast-post-listener';
import { AUTHZEN_METADATA_PATH, authzenMetadataHandler } from './routes/authzen-metadata';
import { bundleHealthHandler } from './routes/bundle-health';
import { dataGetRouter } from './routes/data-routes';
import { discoveryRouter } from './routes/discovery-routes';
import { postFailureBodies, postRouter } from './routes/post-routes';

export interface PdpAppDeps {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  /** API-key middleware, or undefined when the service runs unauthenticated (loopback or `PDP_AUTH=none`). The console adds its JWT sign-in in front. */
  authenticate?: RequestHandler;
  bundles: BundleSource;
  /** Where every decision goes (the audit client); it must not block. */
  recorder: DecisionRecorder;
  settings?: PdpSettings;
  /** Serves `/metrics` instead of the app's own registry (cluster workers report the whole cluster). */
  metricsHandler?: RequestHandler;
  /** Overrides the JWKS-backed verifier built from `settings.jwt` (tests). */
  tokens?: SubjectTokenVerifier;
  /** The web console at `/console`; absent: no console. */
  console?: ConsoleOptions;
}

const API_VERSION = '1.0.0';

/**
 * The policy decision point's HTTP handler: the common endpoints, `/health?bundles`, the decision
 * APIs and `/openapi.json`. JSON POSTs to the decision endpoints take the fast path; the rest is express.
 */
export function createPdpApp(deps: PdpAppDeps): RequestListener {
  const settings = deps.settings ?? DEFAULT_PDP_SETTINGS;
  const metrics = createDecisionMetrics(deps.registry, deps.bundles);
  const point = createDecisionPoint({
    bundles: deps.bundles,
    cache: createDecisionCache(settings.cacheSize),
    metrics,
    logger: deps.logger,
    timeoutMs: settings.decisionTimeoutMs,
  });
  const services: PdpServices = {
    decider: createDecider(point, deps.recorder),
    bundles: deps.bundles,
    tokens: deps.tokens ?? createSubjectTokenVerifier(settings.jwt),
  };
  deps.readiness.register('bundle', () => {
    const status = deps.bundles.status();
    return status.activeRevision !== null
      ? { ready: true, detail: `revision ${status.activeRevision}` }
      : { ready: false, detail: status.lastError?.message ?? 'no policy bundle activated yet' };
  });

  const document = openApiDocument(PDP_OPERATIONS, API_VERSION);
  const postRoutes: PostRoute[] = [
    ...authorizeRoutes(services),
    ...dataRoutes(services),
    ...authzenRoutes(services),
    ...gatewayRegistryRoutes(services),
  ];
  const routes = Router();
  routes.use(postRouter(postRoutes));
  routes.use(dataGetRouter(services));
  routes.use(discoveryRouter(services));
  if (deps.console) routes.use(CONSOLE_API_PATH, consoleApi({ ...deps.console, bundles: deps.bundles, decisionTimeoutMs: settings.decisionTimeoutMs }));

  const serviceApp = createServiceApp({
    service: 'pdp',
    logger: deps.logger,
    registry: deps.registry,
    readiness: deps.readiness,
    authenticate: deps.console
      ? consoleAuthentication({ apiKeys: deps.authenticate, tokens: services.tokens, claims: deps.console.settings.tokenClaims })
      : deps.authenticate,
    routes,
    jsonLimit: settings.maxBodyBytes,
    errorBodyFor: postFailureBodies(postRoutes),
  });

  // Answered before the common app: `/health?bundles` extends its liveness check, and the API
  // descriptions (OpenAPI, AuthZEN metadata) are public like `/health`.
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/health', bundleHealthHandler(deps.bundles));
  if (deps.metricsHandler) app.get('/metrics', deps.metricsHandler);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get(AUTHZEN_METADATA_PATH, authzenMetadataHandler());
  // The console's pages are public like `/openapi.json`; its API (under `routes`) needs a key.
  if (deps.console) app.use(CONSOLE_PATH, consoleAssets(deps.console.settings.assetsDir));
  app.use(serviceApp);
  return fastPostListener(
    { routes: postRoutes, logger: deps.logger, registry: deps.registry, authenticate: deps.authenticate, maxBodyBytes: settings.maxBodyBytes },
    app,
  );
}
