import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { API_KEYS, connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';
import { lateElicitationOverStdio, startLateElicitationOverHttp, type LateElicitationOverHttp } from './support/late-elicitation-server';

/** A client of `who` (alice or carol) that answers every elicitation with its own name and keeps the questions. */
async function answeringClient(proxyUrl: string, who: keyof typeof API_KEYS): Promise<{ client: Client; asked: string[] }> {
  const { client } = await connectClient(proxyUrl, { headers: { authorization: `Bearer ${API_KEYS[who]}` }, capabilities: { elicitation: {} } });
  const asked: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { name: who } };
  });
  return { client, asked };
}

const elicitLater = (client: Client, delayMs: number, question: string) =>
  client.callTool({ name: 'everything__trigger-elicitation-request', arguments: { delay_ms: delayMs, question } }) as Promise<CallToolResult>;

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

// Alice's request starts first; carol's is the newest one waiting when the upstream asks alice's question.
describe('a server-to-client request of a shared Streamable HTTP upstream', () => {
  let upstream: LateElicitationOverHttp;
  beforeAll(async () => {
    upstream = await startLateElicitationOverHttp();
  });
  afterAll(() => upstream.stop());
  const stack = useProxyStack(() => ({ servers: { everything: { url: upstream.url } }, apiKeys: true }));

  it('goes to the client whose request it came with, not to the newest client waiting', async () => {
    const alice = await answeringClient(stack.proxy.url, 'alice');
    const carol = await answeringClient(stack.proxy.url, 'carol');
    const aliceCall = elicitLater(alice.client, 400, 'for alice');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const carolCall = elicitLater(carol.client, 800, 'for carol');

    expect(text(await aliceCall)).toBe('answered by alice');
    expect(text(await carolCall)).toBe('answered by carol');
    expect(alice.asked).toEqual(['for alice']);
    expect(carol.asked).toEqual(['for carol']);
    const relayed = stack.proxy.audit.filter((event) => event.action === 'elicitation/create');
    expect(relayed.map((event) => [event.principal?.id, event.decision, event.outcome])).toEqual([
      ['alice', 'allow', 'ok'],
      ['carol', 'allow', 'ok'],
    ]);
    await Promise.all([alice.client.close(), carol.client.close()]);
  });
});

describe('a server-to-client request of a shared stdio upstream', () => {
  const stack = useProxyStack({ servers: { everything: lateElicitationOverStdio }, apiKeys: true });

  it('is refused to the server while several sessions wait, as stdio does not say whose it is, and relayed when one does', async () => {
    const alice = await answeringClient(stack.proxy.url, 'alice');
    const carol = await answeringClient(stack.proxy.url, 'carol');
    const aliceCall = elicitLater(alice.client, 400, 'for alice');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Carol's question comes after alice's request has ended: hers is then the only session waiting.
    const carolCall = elicitLater(carol.client, 1200, 'for carol');

    const aliceResult = await aliceCall;
    expect(aliceResult.isError).toBe(true);
    expect(text(aliceResult)).toMatch(/several client sessions/);
    expect(text(await carolCall)).toBe('answered by carol');
    expect(alice.asked).toEqual([]);
    expect(carol.asked).toEqual(['for carol']);
    const relayed = stack.proxy.audit.filter((event) => event.action === 'elicitation/create');
    expect(relayed.map((event) => [event.principal?.id, event.outcome])).toEqual([
      [undefined, 'unavailable'],
      ['carol', 'ok'],
    ]);
    await Promise.all([alice.client.close(), carol.client.close()]);
  });
});
