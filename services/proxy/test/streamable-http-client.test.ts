import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHttpClient } from '../upstreams/streamable-http-client';
import { eventually } from './support/eventually';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** An upstream whose answers the test scripts; it records the headers of every request. */
async function scriptedUpstream(handler: Handler) {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(req.headers);
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`),
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function connected(url: URL): { client: StreamableHttpClient; messages: JSONRPCMessage[] } {
  const client = new StreamableHttpClient(url, { authorization: 'Bearer upstream-token' });
  const messages: JSONRPCMessage[] = [];
  client.onmessage = (message) => void messages.push(message);
  return { client, messages };
}

const CALL: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } };

describe('the Streamable HTTP client towards upstreams', () => {
  it('resumes a stream that ends before its answer with Last-Event-ID, sending the session and configured headers', async () => {
    const upstream = await scriptedUpstream((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 's-1' });
        res.end('id: e-1\ndata: \n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: e-2\nevent: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [] } })}\n\n`);
    });
    const { client, messages } = connected(upstream.url);
    client.setProtocolVersion('2025-11-25');
    await client.send(CALL);
    await eventually(async () => expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { content: [] } }]));
    expect(upstream.seen[1]).toMatchObject({ 'last-event-id': 'e-1', 'mcp-session-id': 's-1', 'mcp-protocol-version': '2025-11-25', authorization: 'Bearer upstream-token' });
    await client.close();
    await upstream.close();
  });

  it('fails a request whose stream ends with nothing to resume from', async () => {
    const upstream = await scriptedUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(': nothing\n\n');
    });
    const { client, messages } = connected(upstream.url);
    await client.send(CALL);
    await eventually(async () => expect(messages).toMatchObject([{ id: 1, error: { code: -32000 } }]));
    await client.close();
    await upstream.close();
  });

  it('closes when the upstream no longer knows the session, so the upstream initializes again', async () => {
    let calls = 0;
    const upstream = await scriptedUpstream((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-2' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }));
      } else res.writeHead(404).end();
    });
    const { client, messages } = connected(upstream.url);
    let closed = false;
    client.onclose = () => void (closed = true);
    await client.send(CALL);
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    await expect(client.send({ ...CALL, id: 2 })).rejects.toThrow(/404/);
    expect(closed).toBe(true);
    await upstream.close();
  });

  it('sends a request once more on a new connection when a kept-alive one resets before answering', async () => {
    let posts = 0;
    const upstream = await scriptedUpstream((req, res) => {
      posts += 1;
      // The second request arrives on the kept-alive connection of the first: drop it unanswered, as a server closing an idle connection does.
      if (posts === 2) return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: posts === 1 ? 1 : 2, result: { content: [] } }));
    });
    const { client, messages } = connected(upstream.url);
    await client.send(CALL);
    await client.send({ ...CALL, id: 2 } as JSONRPCMessage);
    expect(posts).toBe(3);
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 1, result: { content: [] } },
      { jsonrpc: '2.0', id: 2, result: { content: [] } },
    ]);
    await client.close();
    await upstream.close();
  });

  it('names the related request a server request came with: the POST it came on, none for the GET stream', async () => {
    const sampling = (id: number) => `data: ${JSON.stringify({ jsonrpc: '2.0', id, method: 'sampling/createMessage', params: {} })}\n\n`;
    const answer = (id: number) => `data: ${JSON.stringify({ jsonrpc: '2.0', id, result: {} })}\n\n`;
    const upstream = await scriptedUpstream((req, res, body) => {
      if (body.includes('notifications/initialized')) return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (req.method === 'GET') return void res.end(sampling(300));
      const id = (JSON.parse(body) as { id: number }).id;
      res.end(sampling(100 + id) + answer(id));
    });
    const { client, messages } = connected(upstream.url);
    await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await client.send(CALL, { relatedRequestId: 7 });
    await client.send({ ...CALL, id: 2 } as JSONRPCMessage);
    await eventually(async () => expect(messages).toHaveLength(5));
    const related = (id: number) => client.relatedRequestOf(messages.find((message) => 'id' in message && message.id === id) as JSONRPCMessage);
    expect([related(101), related(102), related(300)]).toEqual([7, null, undefined]);
    expect(related(1)).toBeUndefined();
    await client.close();
    await upstream.close();
  });
});
