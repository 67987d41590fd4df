import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { HealthBody } from '../contracts/health';
import { accessLogMiddleware } from './access-log';
import { errorHandler, notFoundHandler, type ErrorBodyFor } from './error-handler';
import { httpMetricsMiddleware } from './http-metrics';
import { refuseDeepJson } from './json-nesting';
import type { Readiness } from './readiness';
import { requestIdMiddleware } from './request-id';

export interface ServiceAppOptions {
  /** `pdp`, `proxy`, `audit`: named in health and readiness bodies. */
  service: string;
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  /** Runs before `routes` (never before health, readiness or metrics); see `auth/resolve-auth.ts`. */
  authenticate?: RequestHandler;
  /** The service's own routes, usually an `express.Router()`. */
  routes?: RequestHandler;
  /**
   * Routes that read their own bodies (as bytes, say): run before the JSON parser, which skips a body
   * already read. They must size-limit what they read.
   */
  bodyReaders?: RequestHandler;
  /** Largest JSON body accepted, in bytes or as `'1mb'`; larger bodies get 413. Default 1 MiB. */
  jsonLimit?: number | string;
  /** Reshapes the error body for paths whose API speaks another dialect; see `errorHandler`. */
  errorBodyFor?: ErrorBodyFor;
}

/**
 * The express app every service starts from: request ids, access log, HTTP metrics, `/health`,
 * `/ready`, `/metrics`, JSON bodies with a size limit, authentication, the service's routes,
 * and JSON errors for everything that fails (404 included).
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  const startedAt = Date.now();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);

  app.use(requestIdMiddleware(options.logger));
  app.use(accessLogMiddleware());
  app.use(httpMetricsMiddleware(options.registry));

  app.get('/health', (_req, res) => {
    const body: HealthBody = { status: 'ok', service: options.service, uptime_s: (Date.now() - startedAt) / 1000 };
    res.json(body);
  });
  app.get('/ready', async (_req, res) => {
    const report = await options.readiness.report(options.service);
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.registry.contentType).send(await options.registry.metrics());
  });

  if (options.bodyReaders) app.use(options.bodyReaders);
  app.use(express.json({ limit: options.jsonLimit ?? '1mb', type: ['application/json', 'application/*+json'], verify: (_req, _res, body) => refuseDeepJson(body) }));
  if (options.authenticate) app.use(options.authenticate);
  if (options.routes) app.use(options.routes);

  app.use(notFoundHandler());
  app.use(errorHandler(options.errorBodyFor));
  return app;
}
