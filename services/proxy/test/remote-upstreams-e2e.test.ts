import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startEverythingOverHttp, type EverythingOverHttp } from './support/everything-over-http';
import { connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

describe.each(['streamableHttp', 'sse'] as const)('server-everything over %s behind the proxy', (kind) => {
  let upstream: EverythingOverHttp;

  beforeAll(async () => {
    upstream = await startEverythingOverHttp(kind);
  });
  const stack = useProxyStack(() => ({ servers: { everything: kind === 'sse' ? { url: upstream.url, type: 'sse' } : { url: upstream.url } } }));
  afterAll(async () => {
    await upstream?.stop();
  });

  it('filters the list, forwards allowed calls and refuses denied ones', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('everything__echo');
    expect(names).not.toContain('everything__get-env');
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: `via ${kind}` } });
    expect(JSON.stringify(result.content)).toContain(`via ${kind}`);
    const failure = (await client.callTool({ name: 'everything__get-env', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32000);
    await client.close();
  });
});
