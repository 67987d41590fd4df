import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/** `http_requests_total` and `http_request_duration_seconds`, labelled by route pattern (never raw paths). */
export function httpMetricsMiddleware(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request arrival to the end of the response, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (req, res, next) => {
    const stopTimer = duration.startTimer();
    res.on('finish', () => {
      const route = routePattern(req);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      stopTimer({ method: req.method, route });
    });
    next();
  };
}

/** Records into the metrics `httpMetricsMiddleware` registered, for requests served outside express. */
export interface HttpMetricsRecorder {
  observe(method: string, route: string, status: number, seconds: number): void;
}

/** The common app's HTTP metrics from `registry`, with label children bound once per method, route and status. */
export function httpMetricsRecorder(registry: Registry): HttpMetricsRecorder {
  const requests = registry.getSingleMetric('http_requests_total') as Counter<'method' | 'route' | 'status'> | undefined;
  const duration = registry.getSingleMetric('http_request_duration_seconds') as Histogram<'method' | 'route'> | undefined;
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(seconds: number): void }>();
  return {
    observe(method, route, status, seconds) {
      if (!requests || !duration) return;
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

function routePattern(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}
