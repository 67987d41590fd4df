import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startStdioFront } from '../stdio/stdio-front';
import { ALICE, startTestProxy, type TestProxy } from './support/proxy-harness';
import { startRealPdp, type TestPdpServer } from './support/real-pdp';

describe('the stdio front', () => {
  let pdp: TestPdpServer;
  let proxy: TestProxy;

  beforeAll(async () => {
    pdp = await startRealPdp();
    proxy = await startTestProxy({ pdpUrl: pdp.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await pdp?.stop();
  });

  it('enforces the policy for the configured principal', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const front = await startStdioFront(proxy.components, ALICE, serverSide);
    const client = new Client({ name: 'desktop', version: '1' });
    await client.connect(clientSide);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('everything__echo');
    expect(names).not.toContain('everything__get-env');
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'over stdio' } });
    expect(JSON.stringify(result.content)).toContain('over stdio');
    const failure = (await client.callTool({ name: 'everything__get-env', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32000);
    expect(proxy.audit.at(-1)).toMatchObject({ principal: { id: 'alice' }, session_id: 'stdio', decision: 'deny' });
    await client.close();
    await front.close();
  });
});
