import { newEventId } from '../../common/audit-client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** One autocannon run: where, what to send, and how to tell a functional failure inside a 2xx answer. */
export interface LoadTarget {
  name: string;
  url: string;
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  /** Body of the n-th request. */
  body(n: number): string;
  /** Units of work per request (events per audit batch), for the throughput column. */
  unitsPerRequest: number;
  unit: string;
  /** False when a 2xx answer still carries a failure (a JSON-RPC error, a denial where an allow is expected). */
  succeeded(body: string): boolean;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const PRINCIPALS = ['alice'];
// Distinct arguments rotate through this many values: a mix of decision-cache hits and misses.
const DISTINCT_INPUTS = 512;

/** `POST /v1/authorize`: the demo principal calling `everything/echo` (allowed by the repository policies). */
export function pdpTarget(pdpUrl: string): LoadTarget {
  return {
    name: 'pdp POST /v1/authorize',
    url: pdpUrl,
    method: 'POST',
    path: '/v1/authorize',
    headers: JSON_HEADERS,
    body: (n) =>
      JSON.stringify({
        action: 'tools/call',
        server_name: 'everything',
        tool_name: 'echo',
        principal: { id: PRINCIPALS[n % PRINCIPALS.length], type: 'user' },
        parameters: { message: `load ${n % DISTINCT_INPUTS}` },
        context: { ip: '127.0.0.1' },
      }),
    unitsPerRequest: 1,
    unit: 'decisions',
    succeeded: (body) => body.includes('"allow":true'),
    close: async () => undefined,
  };
}

/** `POST /v1/events`: batches of `batchSize` fresh decision events (new event ids, so every one is stored). */
export function auditTarget(auditUrl: string, batchSize: number): LoadTarget {
  return {
    name: `audit POST /v1/events (${batchSize}/batch)`,
    url: auditUrl,
    method: 'POST',
    path: '/v1/events',
    headers: JSON_HEADERS,
    body: (n) =>
      JSON.stringify({
        events: Array.from({ length: batchSize }, (_unused, index) => ({
          event_id: newEventId(),
          event_type: 'decision',
          occurred_at: new Date().toISOString(),
          decision: index % 10 === 0 ? 'deny' : 'allow',
          principal: { id: 'alice', type: 'user' },
          action: 'tools/call',
          server: 'everything',
          tool: 'echo',
          reason: 'loadtest',
          request_id: `loadtest-${n}-${index}`,
        })),
      }),
    unitsPerRequest: batchSize,
    unit: 'events',
    succeeded: () => true,
    close: async () => undefined,
  };
}

/**
 * `tools/call echo` through the proxy's pass-through route, on one MCP session opened with the SDK
 * client (initialize and the initialized notification), then posted raw so autocannon can drive it.
 */
export async function proxyTarget(proxyMcpUrl: string): Promise<LoadTarget> {
  const client = new Client({ name: 'mcp-authz-loadtest', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(proxyMcpUrl));
  await client.connect(transport);
  const sessionId = transport.sessionId;
  if (!sessionId) throw new Error('the proxy did not assign an MCP session');
  const url = new URL(proxyMcpUrl);
  return {
    name: 'proxy tools/call echo',
    url: url.origin,
    method: 'POST',
    path: url.pathname,
    headers: {
      ...JSON_HEADERS,
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18',
    },
    body: (n) => JSON.stringify({ jsonrpc: '2.0', id: n + 1, method: 'tools/call', params: { name: 'echo', arguments: { message: `load ${n % DISTINCT_INPUTS}` } } }),
    unitsPerRequest: 1,
    unit: 'calls',
    succeeded: (body) => body.includes('"result"') && !body.includes('"isError":true'),
    close: () => client.close(),
  };
}
