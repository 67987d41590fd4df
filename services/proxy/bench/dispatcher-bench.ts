import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { JSONRPCRequest, Tool } from '@modelcontextprotocol/sdk/types.js';
import { createLogger, createMetricsRegistry } from '../../common';
import { createRequestAudit } from '../audit/request-audit';
import { createAuthorizer } from '../enforcement/authorizer';
import { createDispatcher, type DownstreamExtra, type SessionView } from '../mcp/request-dispatcher';
import { createProxyMetrics } from '../mcp/proxy-metrics';
import { createPdpClient } from '../pdp-client/pdp-client';
import { createToolPins } from '../pinning/tool-pins';
import { unlimited } from '../rate-limit/rate-limiter';
import type { Upstream } from '../upstreams/upstream';
import type { UpstreamPool } from '../upstreams/upstream-pool';

/**
 * The proxy's own work on a `tools/call` with the decision cached: routing, pinning check, decision
 * cache, audit record, metrics. No transport: the upstream answers at once. Returns microseconds per call.
 */
export async function dispatcherMicrobench(calls = 20_000): Promise<number> {
  const pdpStub = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ allow: true, reason: 'granted', reasons: ['granted'], cache_ttl: 1800, decision_id: 'd-1', filtered_parameters: { message: 'hi' } }));
    });
  });
  await new Promise<void>((resolve) => pdpStub.listen(0, '127.0.0.1', resolve));
  const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
  const logger = createLogger({ service: 'proxy', level: 'warn' });
  const pdp = createPdpClient({ url: `http://127.0.0.1:${(pdpStub.address() as AddressInfo).port}`, timeoutMs: 1000, breakerResetMs: 1000, cacheSize: 1000, registry });
  const tool: Tool = { name: 'echo', description: 'Echoes back the input string', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } };
  const upstream = { name: 'everything', state: () => 'ready', request: async (method: string) => (method === 'tools/list' ? { tools: [tool] } : { content: [] }) } as unknown as Upstream;
  let recorded = 0;
  const dispatcher = createDispatcher({
    pool: () => ({ get: () => upstream }) as unknown as UpstreamPool,
    authorizer: createAuthorizer(pdp),
    pins: createToolPins(path.join(os.tmpdir(), `bench-pins-${process.pid}.json`), logger),
    limiter: unlimited,
    audit: createRequestAudit({ record: () => void (recorded += 1) }),
    metrics: createProxyMetrics(registry, () => []),
    logger,
    sessions: () => [],
  });
  const session: SessionView = { caller: { principal: { id: 'alice', type: 'user' }, ip: '127.0.0.1', authenticatedBy: 'local' }, servers: ['everything'], aggregate: false, subscriptions: new Set(), notify: () => undefined };
  const extra = { requestId: 1, signal: new AbortController().signal, sendNotification: async () => undefined, sendRequest: async () => ({}) } as unknown as DownstreamExtra;
  const request: JSONRPCRequest = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } };
  for (let i = 0; i < 2000; i += 1) await dispatcher.handle(session, request, extra);
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) await dispatcher.handle(session, request, extra);
  const microseconds = Number(process.hrtime.bigint() - started) / 1e3 / calls;
  pdp.close();
  pdpStub.close();
  return microseconds;
}
