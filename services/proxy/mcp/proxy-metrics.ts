import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const KNOWN_METHODS = new Set([
  'initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'resources/templates/list', 'resources/read',
  'resources/subscribe', 'resources/unsubscribe', 'prompts/list', 'prompts/get', 'completion/complete', 'logging/setLevel',
  'sampling/createMessage', 'elicitation/create', 'roots/list',
]);

export interface ProxyMetrics {
  request(method: string, outcome: string, seconds: number): void;
  upstream(server: string, method: string, outcome: string, seconds: number): void;
  sessions: Gauge<'route'>;
}

/** Metric names are part of the contract (docs/proxy.md). Unknown methods are counted as `other`. */
export function createProxyMetrics(registry: Registry, upstreamStates: () => Array<{ name: string; up: boolean }>): ProxyMetrics {
  const requests = new Counter({
    name: 'proxy_mcp_requests_total',
    help: 'MCP requests handled by the proxy, by method and outcome (ok, denied, not_found, unavailable, timeout, rate_limited, error)',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'proxy_mcp_request_duration_seconds',
    help: 'Time from an MCP request reaching the proxy to its answer, by method',
    labelNames: ['method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'proxy_upstream_request_duration_seconds',
    help: 'Time of requests forwarded to upstream MCP servers, by server, method and outcome',
    labelNames: ['server', 'method', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'proxy_upstream_up',
    help: 'Whether an upstream MCP server is initialized (1) or not (0)',
    labelNames: ['server'] as const,
    registers: [registry],
    collect() {
      for (const state of upstreamStates()) this.set({ server: state.name }, state.up ? 1 : 0);
    },
  });
  const sessions = new Gauge({
    name: 'proxy_sessions',
    help: 'Open MCP sessions, by route (all or one server)',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const label = (method: string) => (KNOWN_METHODS.has(method) ? method : 'other');
  return {
    request(method, outcome, seconds) {
      requests.inc({ method: label(method), outcome });
      duration.observe({ method: label(method) }, seconds);
    },
    upstream(server, method, outcome, seconds) {
      upstreamDuration.observe({ server, method: label(method), outcome }, seconds);
    },
    sessions,
  };
}
