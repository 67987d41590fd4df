import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

describe('the proxy in front of server-everything over stdio, with the real PDP (alice)', () => {
  const stack = useProxyStack();

  it('initializes and lists only the tools the policy allows, prefixed with the server name', async () => {
    const { client } = await connectClient(stack.proxy.url);
    expect(client.getServerVersion()?.name).toBe('mcp-authz-proxy');
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['everything__echo', 'everything__get-sum']));
    expect(names).not.toContain('everything__get-env');
    expect(names).not.toContain('everything__trigger-sampling-request');
    const listed = stack.proxy.audit.filter((event) => event.action === 'tools/list').at(-1);
    expect(listed?.payload).toMatchObject({ shown: tools.length });
    expect((listed?.payload as { listed: number }).listed).toBeGreaterThan(tools.length);
    await client.close();
  });

  it('forwards an allowed call and returns the upstream result', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const result = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(result.content)).toContain('5');
    const event = stack.proxy.audit.find((entry) => entry.tool === 'get-sum');
    expect(event).toMatchObject({ event_type: 'mcp_request', decision: 'allow', outcome: 'ok', server: 'everything', principal: { id: 'alice' } });
    await client.close();
  });

  it('refuses a denied call with -32000, the reason and the decision id', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const failure = await client.callTool({ name: 'everything__get-env', arguments: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(McpError);
    const error = failure as McpError;
    expect(error.code).toBe(-32000);
    expect(error.message).toContain('denied by policy');
    const data = error.data as { reason: string; decision_id: string };
    expect(data.reason).toMatch(/clearance|critical/);
    expect(data.decision_id).toEqual(expect.any(String));
    expect(stack.proxy.audit.find((entry) => entry.tool === 'get-env')).toMatchObject({ decision: 'deny', outcome: 'denied', decision_id: data.decision_id });
    await client.close();
  });

  it('answers -32002 for a tool no upstream has', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const failure = (await client.callTool({ name: 'everything__no-such-tool', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32002);
    const other = (await client.callTool({ name: 'nowhere__echo', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(other.code).toBe(-32002);
    await client.close();
  });

  it('forwards the arguments as the policy filtered them (secrets removed)', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'hello', api_key: 'k-secret' } });
    expect(JSON.stringify(result.content)).toContain('hello');
    const event = stack.proxy.audit.filter((entry) => entry.tool === 'echo').at(-1);
    expect(event?.payload?.arguments).toEqual({ message: 'hello' });
    expect(JSON.stringify(stack.proxy.audit)).not.toContain('k-secret');
    await client.close();
  });

  it('lists and reads resources and prompts through the policy', async () => {
    const { client } = await connectClient(stack.proxy.url);
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const read = await client.readResource({ uri: resources[0].uri });
    expect(read.contents.length).toBeGreaterThan(0);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toContain('everything__simple-prompt');
    const prompt = await client.getPrompt({ name: 'everything__simple-prompt' });
    expect(prompt.messages.length).toBeGreaterThan(0);
    await client.close();
  });

  it('serves one upstream with its original names on /mcp/{server}', async () => {
    const { client } = await connectClient(stack.proxy.url, { path: '/mcp/everything' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'direct' } });
    expect(JSON.stringify(result.content)).toContain('direct');
    await client.close();
  });
});
