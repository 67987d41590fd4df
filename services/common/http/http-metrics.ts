import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

type RequestsCounter = Counter<'method' | 'route' | 'status'>;
type DurationHistogram = Histogram<'method' | 'route'>;

/** Records `http_requests_total` and `http_request_duration_seconds`, labelled by route pattern (never raw paths). */
export interface HttpMetricsRecorder {
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * The HTTP metrics of `registry` (registered on first use), with label children bound once per method,
 * route and status. The express middleware and the listeners that answer outside express (the PDP's
 * decision fast path, the proxy's /mcp) record through it into the same two metrics.
 */
export function httpMetricsRecorder(registry: Registry): HttpMetricsRecorder {
  const requests =
    (registry.getSingleMetric('http_requests_total') as RequestsCounter | undefined) ??
    new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric('http_request_duration_seconds') as DurationHistogram | undefined) ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request arrival to the end of the response, by method and route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(seconds: number): void }>();
  return {
    observe(method, route, status, seconds) {
      const key = `${method} ${route} ${status}`;
      let counter = counters.get(key);
      if (!counter) counters.set(key, (counter = requests.labels({ method, route, status: String(status) })));
      counter.inc();
      const timerKey = `${method} ${route}`;
      let timer = timers.get(timerKey);
      if (!timer) timers.set(timerKey, (timer = duration.labels({ method, route })));
      timer.observe(seconds);
    },
  };
}

export function httpMetricsMiddleware(registry: Registry): RequestHandler {
  const metrics = httpMetricsRecorder(registry);
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => metrics.observe(req.method, routePattern(req), res.statusCode, (performance.now() - started) / 1000));
    next();
  };
}

function routePattern(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}
