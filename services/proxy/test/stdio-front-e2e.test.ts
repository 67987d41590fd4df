import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startStdioFront } from '../stdio/stdio-front';
import { ALICE } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

describe('the stdio front', () => {
  const stack = useProxyStack();

  it('enforces the policy for the configured principal', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const front = await startStdioFront(stack.proxy.components, ALICE, serverSide);
    const client = new Client({ name: 'desktop', version: '1' });
    await client.connect(clientSide);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('everything__echo');
    expect(names).not.toContain('everything__get-env');
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'over stdio' } });
    expect(JSON.stringify(result.content)).toContain('over stdio');
    const failure = (await client.callTool({ name: 'everything__get-env', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32000);
    expect(stack.proxy.audit.at(-1)).toMatchObject({ principal: { id: 'alice' }, session_id: 'stdio', decision: 'deny' });
    await client.close();
    await front.close();
  });
});
