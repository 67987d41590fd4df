import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { SessionTransport } from '../http/session-transport';
import { eventually } from './support/eventually';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A session transport behind a plain HTTP server; requests it receives are kept for the test to answer. */
async function served(keepAliveMs: number) {
  const transport = new SessionTransport({ newSessionId: () => 'session-1', onSessionInitialized: () => undefined, onSessionClosed: () => undefined, keepAliveMs });
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (message) => void received.push(message);
  await transport.start();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => transport.handleRequest(req, res, body ? JSON.parse(body) : undefined));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  const post = (message: unknown) => fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': 'session-1' }, body: JSON.stringify(message) });
  const initialize = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  const init = fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(initialize) });
  await eventually(async () => expect(received).toHaveLength(1));
  await transport.send({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } } });
  await (await init).json();
  return { transport, received, post, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('the session transport', () => {
  it('turns an answer still pending at a keep-alive tick into an SSE stream with a keep-alive comment', async () => {
    const session = await served(50);
    const answer = session.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow' } });
    await eventually(async () => expect(session.received).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await session.transport.send({ jsonrpc: '2.0', id: 1, result: { content: [] } });
    const res = await answer;
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    expect(text).toContain(': keepalive');
    expect(text).toContain('data: {"jsonrpc":"2.0","id":1,"result":{"content":[]}}');
    await session.transport.close();
    await session.close();
  });

  it('answers 404 to a request still waiting when the session closes', async () => {
    const session = await served(60_000);
    const answer = session.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow' } });
    await eventually(async () => expect(session.received).toHaveLength(2));
    await session.transport.close();
    const res = await answer;
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: -32001 } });
    await session.close();
  });
});
