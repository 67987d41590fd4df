import { ElicitRequestSchema, type McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

describe('requests beyond tools/call', () => {
  const stack = useProxyStack();

  it('relays an elicitation request to the client that caused it, after authorizing it', async () => {
    const { client } = await connectClient(stack.proxy.url, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    const result = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(result)).toContain('Ada');
    expect(stack.proxy.audit.find((event) => event.action === 'elicitation/create')).toMatchObject({ decision: 'allow', principal: { id: 'alice' } });
    await client.close();
  });

  it('routes completion requests by prompt name', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const result = await client.complete({ ref: { type: 'ref/prompt', name: 'everything__completable-prompt' }, argument: { name: 'department', value: 'E' } });
    expect(result.completion.values.length).toBeGreaterThan(0);
    expect(stack.proxy.audit.filter((event) => event.action === 'completion/complete').at(-1)).toMatchObject({ decision: 'allow', server: 'everything' });
    await client.close();
  });

  it('sets the log level on every upstream the principal may change', async () => {
    const { client } = await connectClient(stack.proxy.url);
    await client.setLoggingLevel('warning');
    expect(stack.proxy.audit.filter((event) => event.action === 'logging/setLevel').at(-1)).toMatchObject({ decision: 'allow', outcome: 'ok' });
    await client.close();
  });
});

describe('an upstream that does not answer in time', () => {
  const stack = useProxyStack({ settings: { upstreamTimeoutMs: 300 } });

  it('answers -32004', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const failure = (await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 5, steps: 1 } }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32004);
    expect(stack.proxy.audit.filter((event) => event.tool === 'trigger-long-running-operation').at(-1)).toMatchObject({ outcome: 'timeout', decision: 'allow' });
    await client.close();
  });
});
