import { CreateMessageRequestSchema, type McpError } from '@modelcontextprotocol/sdk/types.js';
import { startEverythingOverHttp, type EverythingOverHttp } from './support/everything-over-http';
import { CAROL, connectClient } from './support/proxy-harness';
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

describe('a Streamable HTTP upstream that streams its answers', () => {
  let upstream: EverythingOverHttp;

  beforeAll(async () => {
    upstream = await startEverythingOverHttp('streamableHttp');
  });
  const stack = useProxyStack(() => ({ servers: { everything: { url: upstream.url } }, localPrincipal: CAROL }));
  afterAll(async () => {
    await upstream?.stop();
  });

  it('relays progress sent before the result, and a sampling request sent during the call', async () => {
    const { client } = await connectClient(stack.proxy.url, { capabilities: { sampling: {} } });
    const progress: number[] = [];
    await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
      onprogress: (update) => void progress.push(update.progress),
    });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled-remotely' } }));
    const sampled = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 5 } });
    expect(JSON.stringify(sampled.content)).toContain('sampled-remotely');
    expect(stack.proxy.audit.find((event) => event.action === 'sampling/createMessage')).toMatchObject({ decision: 'allow', principal: { id: 'carol' } });
    await client.close();
  });
});
