import { ElicitRequestSchema, type McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, startTestProxy, type TestProxy } from './support/proxy-harness';
import { startRealPdp, type TestPdpServer } from './support/real-pdp';

describe('requests beyond tools/call', () => {
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

  it('relays an elicitation request to the client that caused it, after authorizing it', async () => {
    const { client } = await connectClient(proxy.url, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    const result = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(result)).toContain('Ada');
    expect(proxy.audit.find((event) => event.action === 'elicitation/create')).toMatchObject({ decision: 'allow', principal: { id: 'alice' } });
    await client.close();
  });

  it('routes completion requests by prompt name', async () => {
    const { client } = await connectClient(proxy.url);
    const result = await client.complete({ ref: { type: 'ref/prompt', name: 'everything__completable-prompt' }, argument: { name: 'department', value: 'E' } });
    expect(result.completion.values.length).toBeGreaterThan(0);
    expect(proxy.audit.filter((event) => event.action === 'completion/complete').at(-1)).toMatchObject({ decision: 'allow', server: 'everything' });
    await client.close();
  });

  it('sets the log level on every upstream the principal may change', async () => {
    const { client } = await connectClient(proxy.url);
    await client.setLoggingLevel('warning');
    expect(proxy.audit.filter((event) => event.action === 'logging/setLevel').at(-1)).toMatchObject({ decision: 'allow', outcome: 'ok' });
    await client.close();
  });
});

describe('an upstream that does not answer in time', () => {
  let pdp: TestPdpServer;
  let proxy: TestProxy;

  beforeAll(async () => {
    pdp = await startRealPdp();
    proxy = await startTestProxy({ pdpUrl: pdp.url, settings: { upstreamTimeoutMs: 300 } });
  });
  afterAll(async () => {
    await proxy?.close();
    await pdp?.stop();
  });

  it('answers -32004', async () => {
    const { client } = await connectClient(proxy.url);
    const failure = (await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 5, steps: 1 } }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32004);
    expect(proxy.audit.filter((event) => event.tool === 'trigger-long-running-operation').at(-1)).toMatchObject({ outcome: 'timeout', decision: 'allow' });
    await client.close();
  });
});
