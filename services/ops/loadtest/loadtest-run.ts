import type { LoadTarget } from './loadtest-targets';

// autocannon ships no types; this is the part of its API the load test uses.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

export interface TargetFigures {
  target: string;
  requests: number;
  'req/s': number;
  /** What a request carries (decisions, events, calls) and how many of those per second. */
  unit: string;
  'units/s': number;
  'p50 ms': number;
  'p90 ms': number;
  'p99 ms': number;
  'max ms': number;
  non2xx: number;
  'failed 2xx': number;
  errors: number;
  timeouts: number;
}

export interface RunOptions {
  connections: number;
  durationSeconds: number;
}

/** Drives one target with autocannon; 2xx answers are inspected for functional failures (denials, JSON-RPC errors). */
export async function runTarget(target: LoadTarget, options: RunOptions): Promise<TargetFigures> {
  let counter = 0;
  let failed = 0;
  const result = await autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        method: target.method,
        path: target.path,
        headers: target.headers,
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: target.body(counter++) }),
        onResponse: (status: number, body: string) => {
          if (status >= 200 && status < 300 && !target.succeeded(body)) failed += 1;
        },
      },
    ],
  });
  return {
    target: target.name,
    requests: result.requests.total,
    'req/s': Math.round(result.requests.average),
    unit: target.unit,
    'units/s': Math.round(result.requests.average * target.unitsPerRequest),
    'p50 ms': result.latency.p50,
    'p90 ms': result.latency.p90,
    'p99 ms': result.latency.p99,
    'max ms': result.latency.max,
    non2xx: result.non2xx,
    'failed 2xx': failed,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
