import { gzipSync } from 'node:zlib';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { useProxyStack } from './support/proxy-stack';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** `/mcp` and `/mcp/{server}` are served outside express: what the common app did for them must still happen. */
describe('the MCP paths outside express', () => {
  const stack = useProxyStack();
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) => fetch(new URL(path, stack.proxy.url), { method: 'POST', headers: { ...HEADERS, ...headers }, body });

  it('echo the caller request id (or make one) and count requests under the route pattern', async () => {
    const res = await post('/mcp/everything', INITIALIZE, { 'x-request-id': 'req-42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-42');
    await res.text();
    const other = await post('/mcp', INITIALIZE);
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await other.text();
    const metrics = await stack.proxy.registry.metrics();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/mcp\/:server",status="200"[^}]*\} 1/);
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/mcp",status="200"[^}]*\} 1/);
  });

  it('refuse a body over 4 MiB with 413 and a body that is not JSON with 400, as JSON errors', async () => {
    const large = await post('/mcp', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(4 * 1024 * 1024) } }));
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const broken = await post('/mcp', '{"jsonrpc":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('leave other body encodings, methods and paths to express, which serves the same handler', async () => {
    const gzipped = await post('/mcp', gzipSync(INITIALIZE), { 'content-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers.get('mcp-session-id')).toBeTruthy();
    await gzipped.text();
    const preflight = await fetch(new URL('/mcp', stack.proxy.url), { method: 'OPTIONS', headers: { origin: 'http://localhost:3000' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const unknown = await post('/mcp/nope', INITIALIZE);
    expect(unknown.status).toBe(404);
    const notMcp = await post('/mcpx', INITIALIZE);
    expect(notMcp.status).toBe(404);
    expect(await notMcp.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
