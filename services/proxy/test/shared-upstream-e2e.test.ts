import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from './support/eventually';
import { API_KEYS, connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';
import { PROBE_REPORT_URI, probeOverStdio, startProbeOverHttp, type ProbeOverHttp } from './support/probe-upstream';

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

/**
 * Alice's request asks its question after 400 ms; carol's request starts 100 ms after alice's, so it is the
 * newest one waiting when alice's question comes, and asks hers `carolDelayMs` later.
 */
async function aliceThenCarol(proxyUrl: string, carolDelayMs: number) {
  const alice = await answeringClient(proxyUrl, 'alice');
  const carol = await answeringClient(proxyUrl, 'carol');
  const aliceCall = elicitLater(alice.client, 400, 'for alice');
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { alice, carol, aliceCall, carolCall: elicitLater(carol.client, carolDelayMs, 'for carol') };
}

describe('one Streamable HTTP upstream connection shared by sessions', () => {
  let upstream: ProbeOverHttp;
  beforeAll(async () => {
    upstream = await startProbeOverHttp();
  });
  afterAll(() => upstream.stop());
  const stack = useProxyStack(() => ({ servers: { everything: { url: upstream.url } }, apiKeys: true }));

  it('relays a server-to-client request to the client whose request it came with, not to the newest client waiting', async () => {
    const { alice, carol, aliceCall, carolCall } = await aliceThenCarol(stack.proxy.url, 800);

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

  it('keeps the upstream subscription while any session holds it, and ends it with the last one', async () => {
    const first = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.alice}` } });
    const second = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.carol}` } });
    const calls = upstream.subscriptionCalls;
    calls.length = 0;
    await first.client.subscribeResource({ uri: PROBE_REPORT_URI });
    await second.client.subscribeResource({ uri: PROBE_REPORT_URI });
    await first.client.unsubscribeResource({ uri: PROBE_REPORT_URI });
    expect(calls).toEqual([`subscribe ${PROBE_REPORT_URI}`, `subscribe ${PROBE_REPORT_URI}`]);
    await second.client.unsubscribeResource({ uri: PROBE_REPORT_URI });
    expect(calls.at(-1)).toBe(`unsubscribe ${PROBE_REPORT_URI}`);

    // A session that ends holding the last subscription (DELETE) takes it with it.
    await first.client.subscribeResource({ uri: PROBE_REPORT_URI });
    await first.transport.terminateSession();
    await eventually(async () => expect(calls.slice(-2)).toEqual([`subscribe ${PROBE_REPORT_URI}`, `unsubscribe ${PROBE_REPORT_URI}`]));
    expect(stack.proxy.audit.filter((event) => event.action === 'resources/unsubscribe').map((event) => event.principal?.id)).toEqual(['alice', 'carol']);
    await Promise.all([first.client.close(), second.client.close()]);
  });
});

describe('one stdio upstream connection shared by sessions', () => {
  const stack = useProxyStack({ servers: { everything: probeOverStdio }, apiKeys: true });

  it('refuses a server-to-client request to the server while several sessions wait, as stdio does not say whose it is, and relays it when one does', async () => {
    // Carol's question comes after alice's request has ended: hers is then the only session waiting.
    const { alice, carol, aliceCall, carolCall } = await aliceThenCarol(stack.proxy.url, 1200);

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
