import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * A real SDK MCP server (stateless Streamable HTTP) with an `echo` tool that records the arguments it
 * receives, to check what the proxy forwards. Named like the demo server so the repository policies apply.
 */
export interface ArgumentRecorder {
  url: string;
  received: Array<Record<string, unknown>>;
  /** Authorization and X-API-Key headers of every HTTP request it got (undefined when absent). */
  credentials: Array<string | undefined>;
  stop(): Promise<void>;
}

export async function startArgumentRecorder(): Promise<ArgumentRecorder> {
  const received: Array<Record<string, unknown>> = [];
  const credentials: Array<string | undefined> = [];
  const server = http.createServer(async (req, res) => {
    credentials.push(req.headers.authorization ?? (req.headers['x-api-key'] as string | undefined));
    const mcp = new McpServer({ name: 'argument-recorder', version: '1.0.0' });
    mcp.registerTool('echo', { description: 'Echoes back the input string', inputSchema: z.looseObject({ message: z.string() }) }, async (args) => {
      received.push({ ...(args as Record<string, unknown>) });
      return { content: [{ type: 'text', text: JSON.stringify(args) }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    received,
    credentials,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
