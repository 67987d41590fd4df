import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

/**
 * `npm run demo:proxy` (with `npm start` running): connects to the proxy as an MCP client and shows
 * a filtered tool list, an allowed call and a denied one. PROXY_URL and PROXY_API_KEY override the defaults.
 */
async function main(): Promise<void> {
  const url = new URL('/mcp', process.env.PROXY_URL ?? 'http://127.0.0.1:8000');
  const headers: Record<string, string> = process.env.PROXY_API_KEY ? { authorization: `Bearer ${process.env.PROXY_API_KEY}` } : {};
  const client = new Client({ name: 'mcp-authz-demo', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  const { tools } = await client.listTools();
  print(`tools visible through ${url.href} (${tools.length}): ${tools.map((tool) => tool.name).join(', ')}`);
  await attempt('everything__echo', { message: 'hello through the proxy' });
  await attempt('everything__get-sum', { a: 20, b: 22 });
  await attempt('everything__get-env', {});
  await client.close();

  async function attempt(name: string, args: Record<string, unknown>): Promise<void> {
    try {
      const result = await client.callTool({ name, arguments: args });
      print(`ALLOWED ${name}: ${JSON.stringify(result.content).slice(0, 120)}`);
    } catch (error) {
      if (!(error instanceof McpError)) throw error;
      print(`DENIED  ${name}: ${error.code} ${error.message} ${JSON.stringify(error.data)}`);
    }
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
