import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ElicitResultSchema, isInitializeRequest, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { UpstreamConfig } from '../../config/servers-file';

/** A resource of the probe that clients may subscribe to. */
export const PROBE_REPORT_URI = 'probe://reports/daily';

/**
 * A real SDK MCP server for what a shared upstream connection must get right:
 * - `trigger-elicitation-request` asks the client for input only after `delay_ms`, so that by then other
 *   clients' requests can be waiting on the same upstream (named like server-everything's tool, so the
 *   repository's policies and catalog apply);
 * - `resources/subscribe` and `resources/unsubscribe` of `PROBE_REPORT_URI` are recorded in `subscriptionCalls`.
 */
function probeServer(subscriptionCalls: string[]): McpServer {
  const server = new McpServer({ name: 'probe', version: '1.0.0' }, { capabilities: { resources: { subscribe: true } } });
  server.registerTool(
    'trigger-elicitation-request',
    { description: 'Asks the user for input through the client', inputSchema: { delay_ms: z.number(), question: z.string() } },
    async ({ delay_ms, question }, extra) => {
      await new Promise((resolve) => setTimeout(resolve, delay_ms));
      try {
        const answer = await extra.sendRequest(
          { method: 'elicitation/create', params: { message: question, requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } },
          ElicitResultSchema,
        );
        return { content: [{ type: 'text', text: `answered by ${String(answer.content?.name)}` }] };
      } catch (error) {
        return { isError: true, content: [{ type: 'text', text: `elicitation failed: ${(error as Error).message}` }] };
      }
    },
  );
  server.registerResource('daily-report', PROBE_REPORT_URI, { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'all quiet' }] }));
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => (subscriptionCalls.push(`subscribe ${request.params.uri}`), {}));
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => (subscriptionCalls.push(`unsubscribe ${request.params.uri}`), {}));
  return server;
}

export interface ProbeOverHttp {
  url: string;
  /** `subscribe URI` and `unsubscribe URI`, in the order the probe got them. */
  subscriptionCalls: string[];
  stop(): Promise<void>;
}

/** The probe over Streamable HTTP with sessions (the proxy keeps one), in this process. */
export async function startProbeOverHttp(): Promise<ProbeOverHttp> {
  const subscriptionCalls: string[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const httpServer = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (!isInitializeRequest(body)) return void res.writeHead(404).end();
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id) => void sessions.set(id, created) });
      await probeServer(subscriptionCalls).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`,
    subscriptionCalls,
    async stop() {
      for (const transport of sessions.values()) await transport.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/** The probe over stdio, as the proxy spawns it. */
export const probeOverStdio: UpstreamConfig = {
  command: process.execPath,
  args: ['-r', path.resolve(__dirname, '../../../common/register-typescript.js'), __filename, 'stdio'],
};

if (require.main === module && process.argv[2] === 'stdio') void probeServer([]).connect(new StdioServerTransport());
