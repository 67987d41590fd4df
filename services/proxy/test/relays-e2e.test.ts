import { CreateMessageRequestSchema, ElicitRequestSchema, type CallToolResult, type McpError } from '@modelcontextprotocol/sdk/types.js';
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

describe('a server-to-client request the policy denies', () => {
  // A developer cleared for the high-sensitivity sampling tool, who owns no server: calling the tool is allowed, sampling is not.
  const stack = useProxyStack({ localPrincipal: { id: 'dave', type: 'user', roles: ['developer'], clearance: 'high' } });

  it('is answered to the upstream with the -32000 error, never reaches the client, and is audited', async () => {
    const { client } = await connectClient(stack.proxy.url, { capabilities: { sampling: {} } });
    let sampled = 0;
    client.setRequestHandler(CreateMessageRequestSchema, async () => {
      sampled += 1;
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled-answer' } };
    });
    const result = (await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hello model', maxTokens: 10 } })) as CallToolResult;
    // server-everything reports the error its sampling request got as the tool's error result.
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/-32000.*denied/i);
    expect(sampled).toBe(0);
    expect(stack.proxy.audit.find((event) => event.action === 'sampling/createMessage')).toMatchObject({ decision: 'deny', outcome: 'denied', server: 'everything', principal: { id: 'dave' } });
    expect(stack.proxy.audit.find((event) => event.action === 'tools/call')).toMatchObject({ decision: 'allow', tool: 'trigger-sampling-request' });
    await client.close();
  });

  it('sends the JSON-RPC id of the client request to the PDP as context.request_id', async () => {
    const { client } = await connectClient(stack.proxy.url);
    await client.callTool({ name: 'everything__echo', arguments: { message: 'which request' } });
    const call = stack.proxy.audit.filter((event) => event.action === 'tools/call' && event.tool === 'echo').at(-1);
    const asked = stack.pdp.inputs.filter((input) => (input as { action?: string }).action === 'tools/call').at(-1) as { context: Record<string, unknown> };
    expect(call?.request_id).toEqual(expect.any(String));
    expect(asked.context).toMatchObject({ request_id: call?.request_id, session_id: expect.any(String) });
    await client.close();
  });
});
