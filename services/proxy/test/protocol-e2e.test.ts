import { CreateMessageRequestSchema, LATEST_PROTOCOL_VERSION, McpError } from '@modelcontextprotocol/sdk/types.js';
import { API_KEYS, connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

const JSON_AND_SSE = 'application/json, text/event-stream';

function initializeBody(id = 1) {
  return { jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
}

async function rawInitialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL('/mcp', url), { method: 'POST', headers: { 'content-type': 'application/json', accept: JSON_AND_SSE, ...headers }, body: JSON.stringify(initializeBody()) });
}

/** An initialized session of alice's, spoken to with plain fetch. */
async function rawSession(url: string) {
  const authorization = `Bearer ${API_KEYS.alice}`;
  const init = await rawInitialize(url, { authorization });
  const id = init.headers.get('mcp-session-id') as string;
  await init.text();
  const request = (method: string, headers: Record<string, string>, signal?: AbortSignal, body?: string) =>
    fetch(new URL('/mcp', url), { method, signal, body, headers: { authorization, 'mcp-session-id': id, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION, ...headers } });
  const post = (message: unknown, headers: Record<string, string> = {}) => request('POST', { 'content-type': 'application/json', accept: JSON_AND_SSE, ...headers }, undefined, JSON.stringify(message));
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text();
  return { id, request, post };
}

describe('the proxy speaks Streamable HTTP by the MCP spec', () => {
  const stack = useProxyStack({ apiKeys: true, settings: { sessionTtlMs: 300 } });

  it('answers 401 with a resource_metadata pointer when no credential is sent, and serves the RFC 9728 metadata', async () => {
    const res = await rawInitialize(stack.proxy.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"/);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32003);
    const metadata = await fetch(new URL('/.well-known/oauth-protected-resource', stack.proxy.url));
    expect(metadata.status).toBe(200);
    expect(((await metadata.json()) as { resource: string }).resource).toMatch(/\/mcp$/);
    const wrongKey = await rawInitialize(stack.proxy.url, { authorization: 'Bearer mcpz_not-a-key' });
    expect(wrongKey.status).toBe(401);
  });

  it('refuses a foreign Origin with 403 and answers CORS for a local one', async () => {
    const foreign = await rawInitialize(stack.proxy.url, { authorization: `Bearer ${API_KEYS.alice}`, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const preflight = await fetch(new URL('/mcp', stack.proxy.url), { method: 'OPTIONS', headers: { origin: 'http://localhost:3000' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
  });

  it('issues random session ids bound to the principal; an unknown, foreign or expired session is 404', async () => {
    const res = await rawInitialize(stack.proxy.url, { authorization: `Bearer ${API_KEYS.alice}` });
    expect(res.status).toBe(200);
    const sessionId = res.headers.get('mcp-session-id') as string;
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await res.text();
    const list = (key: string, id: string) =>
      fetch(new URL('/mcp', stack.proxy.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: JSON_AND_SSE, authorization: `Bearer ${key}`, 'mcp-session-id': id, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
    expect((await list(API_KEYS.alice, sessionId)).status).toBe(200);
    expect((await list(API_KEYS.carol, sessionId)).status).toBe(404);
    expect((await list(API_KEYS.alice, 'no-such-session')).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await list(API_KEYS.alice, sessionId)).status).toBe(404);
  });

  it('answers 404 for an upstream that is not configured', async () => {
    const res = await fetch(new URL('/mcp/nowhere', stack.proxy.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: JSON_AND_SSE, authorization: `Bearer ${API_KEYS.alice}` },
      body: JSON.stringify(initializeBody()),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32002);
  });

  it('answers 400 to an unsupported MCP-Protocol-Version', async () => {
    const res = await rawInitialize(stack.proxy.url, { authorization: `Bearer ${API_KEYS.alice}` });
    const sessionId = res.headers.get('mcp-session-id') as string;
    await res.text();
    const bad = await fetch(new URL('/mcp', stack.proxy.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: JSON_AND_SSE, authorization: `Bearer ${API_KEYS.alice}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '1999-01-01' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(bad.status).toBe(400);
  });

  it('ends a session on DELETE', async () => {
    const { client, transport } = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.alice}` } });
    const sessionId = transport.sessionId as string;
    await transport.terminateSession();
    const after = await fetch(new URL('/mcp', stack.proxy.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: JSON_AND_SSE, authorization: `Bearer ${API_KEYS.alice}`, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(after.status).toBe(404);
    await client.close();
  });

  it('answers a plain call with one JSON body, and with an SSE stream once progress is sent during it', async () => {
    const session = await rawSession(stack.proxy.url);
    const plain = await session.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'as json' } } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(plain.headers.get('mcp-session-id')).toBe(session.id);
    expect(await plain.json()).toMatchObject({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: expect.stringContaining('as json') }] } });
    const streamed = await session.post({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'everything__trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 }, _meta: { progressToken: 'p-1' } },
    });
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    const events = (await streamed.text()).split('\n\n').filter((event) => event.startsWith('event: message'));
    const messages = events.map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { id?: number; method?: string; params?: { progressToken?: string } });
    expect(messages[0]).toMatchObject({ method: 'notifications/progress', params: { progressToken: 'p-1' } });
    expect(messages.at(-1)).toMatchObject({ id: 3, result: {} });
  });

  it('keeps one GET stream per session and refuses what Streamable HTTP does not allow', async () => {
    const session = await rawSession(stack.proxy.url);
    expect((await session.request('GET', { accept: 'application/json' })).status).toBe(406);
    const stream = new AbortController();
    const first = await session.request('GET', { accept: 'text/event-stream' }, stream.signal);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/event-stream');
    expect((await session.request('GET', { accept: 'text/event-stream' })).status).toBe(409);
    expect((await session.request('PUT', {})).status).toBe(405);
    expect((await session.post({ jsonrpc: '2.0', id: 4, method: 'ping' }, { accept: 'application/json' })).status).toBe(406);
    expect((await session.post({ jsonrpc: '2.0', id: 5, method: 'ping' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await session.post({ jsonrpc: '2.0', id: 6, method: 'initialize', params: initializeBody().params })).status).toBe(400);
    expect((await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    stream.abort();
  });

  it('relays a server-to-client sampling request after authorizing it (carol)', async () => {
    const { client } = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.carol}` }, capabilities: { sampling: {} } });
    const prompts: unknown[] = [];
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      prompts.push(request.params.messages);
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled-answer' } };
    });
    const result = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hello model', maxTokens: 10 } });
    expect(JSON.stringify(result.content)).toContain('sampled-answer');
    expect(JSON.stringify(prompts)).toContain('hello model');
    expect(stack.proxy.audit.find((entry) => entry.action === 'sampling/createMessage')).toMatchObject({ decision: 'allow', server: 'everything', principal: { id: 'carol' } });
    await client.close();
  });

  it('passes progress notifications through with the client\'s own token', async () => {
    const { client } = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.alice}` } });
    const progress: number[] = [];
    // The SDK handles a response before a notification read in the same chunk, so the last update may be dropped by any client.
    await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
      onprogress: (update) => void progress.push(update.progress),
    });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    await client.close();
  });

  it('counts requests by method and outcome and reports sessions and breaker state', async () => {
    const metrics = await (await fetch(new URL('/metrics', stack.proxy.url))).text();
    expect(metrics).toMatch(/proxy_mcp_requests_total\{method="tools\/call",outcome="ok"/);
    expect(metrics).toContain('proxy_pdp_breaker_state');
    expect(metrics).toContain('proxy_sessions');
    expect(metrics).toMatch(/proxy_upstream_up\{server="everything"[^}]*\} 1/);
  });

  it('is ready once every upstream is initialized', async () => {
    const ready = await fetch(new URL('/ready', stack.proxy.url));
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { components: { upstreams: { ready: boolean } } }).components.upstreams.ready).toBe(true);
  });

  it('rejects a denied call the same way for API-key principals', async () => {
    const { client } = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.alice}` } });
    const failure = (await client.callTool({ name: 'everything__get-env', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32000);
    await client.close();
  });
});
