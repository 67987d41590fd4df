import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createMetricsRegistry } from '../../common';
import { createPdpClient, PdpUnavailableError } from '../pdp-client/pdp-client';
import { useTempDir } from '../../common/test/support/temp-dir';

const ALICE = { id: 'alice', type: 'user' as const };
const CONTEXT = { ip: '127.0.0.1', time: '2026-01-01T10:00:00.000Z' };

/** A PDP stub answering every call with the given status and body (a function of the path); it counts calls and keeps the last request. On `socketPath` instead of a loopback port when given. */
async function stubPdp(status: number, body: (path: string) => string, socketPath?: string) {
  const seen = { calls: 0, headers: {} as http.IncomingHttpHeaders, body: '' };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      seen.calls += 1;
      seen.headers = req.headers;
      seen.body = text;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body(req.url ?? ''));
    });
  });
  const close = () => new Promise((resolve) => server.close(resolve));
  if (socketPath !== undefined) {
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return { url: `unix:${socketPath}`, seen, close };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close };
}

async function outcomes(registry: ReturnType<typeof createMetricsRegistry>): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('proxy_pdp_request_duration_seconds')?.get();
  const counts: Record<string, number> = {};
  for (const value of (metric?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[]) if (value.metricName?.endsWith('_count')) counts[String(value.labels.outcome)] = value.value;
  return counts;
}

describe('the PDP client', () => {
  it('counts an answer that is not JSON once, as an error, and fails closed', async () => {
    const pdp = await stubPdp(200, () => '{not json');
    const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
    const client = createPdpClient({ url: pdp.url, timeoutMs: 1000, breakerResetMs: 1000, cacheSize: 10, registry });
    await expect(client.authorize(ALICE, CONTEXT, { action: 'tools/call', server_name: 'everything', tool_name: 'echo' })).rejects.toBeInstanceOf(PdpUnavailableError);
    expect(await outcomes(registry)).toEqual({ error: 1 });
    client.close();
    await pdp.close();
  });

  it('sends the API key and the context, and answers a repeated question from its cache', async () => {
    const decision = { allow: true, reasons: ['granted'], cache_ttl: 60, decision_id: 'd-1' };
    const pdp = await stubPdp(200, (path) => JSON.stringify(path.endsWith('/batch') ? { results: [{ ...decision, decision_id: 'd-2' }] } : decision));
    const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
    const client = createPdpClient({ url: pdp.url, apiKey: 'pdp-key', timeoutMs: 1000, breakerResetMs: 1000, cacheSize: 10, registry });
    const question = { action: 'tools/call', server_name: 'everything', tool_name: 'echo' };
    await client.authorize(ALICE, { ...CONTEXT, request_id: '7' }, question);
    expect(pdp.seen.headers.authorization).toBe('Bearer pdp-key');
    expect(JSON.parse(pdp.seen.body)).toMatchObject({ ...question, principal: ALICE, context: { request_id: '7' } });
    const [again, other] = await client.authorizeBatch(ALICE, { ...CONTEXT, request_id: '8' }, [question, { ...question, tool_name: 'get-sum' }]);
    expect(again.decision_id).toBe('d-1');
    expect(pdp.seen.calls).toBe(2);
    expect(JSON.parse(pdp.seen.body).requests).toEqual([{ ...question, tool_name: 'get-sum' }]);
    expect(other.decision_id).toBe('d-2');
    client.close();
    await pdp.close();
  });

  describe('with PDP_URL unix:/path (a PDP on this host)', () => {
    const dir = useTempDir('pdp-client-');

    it('asks over the socket, with the same request as over TCP', async () => {
      const socketPath = path.join(dir.path, 'pdp.sock');
      const pdp = await stubPdp(200, () => JSON.stringify({ allow: true, reasons: [], cache_ttl: 0, decision_id: 'd-sock' }), socketPath);
      const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
      const client = createPdpClient({ url: pdp.url, apiKey: 'pdp-key', timeoutMs: 1000, breakerResetMs: 1000, cacheSize: 10, registry });
      const question = { action: 'tools/call', server_name: 'everything', tool_name: 'echo' };
      expect((await client.authorize(ALICE, CONTEXT, question)).decision_id).toBe('d-sock');
      expect(pdp.seen.headers.authorization).toBe('Bearer pdp-key');
      expect(JSON.parse(pdp.seen.body)).toMatchObject({ ...question, principal: ALICE });
      expect(await outcomes(registry)).toEqual({ ok: 1 });
      client.close();
      await pdp.close();
    });

    it('fails closed when nothing listens on the socket', async () => {
      const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
      const client = createPdpClient({ url: `unix:${path.join(dir.path, 'absent.sock')}`, timeoutMs: 1000, breakerResetMs: 1000, cacheSize: 10, registry });
      await expect(client.authorize(ALICE, CONTEXT, { action: 'tools/call', server_name: 'everything', tool_name: 'echo' })).rejects.toBeInstanceOf(PdpUnavailableError);
      expect(await outcomes(registry)).toEqual({ error: 1 });
      client.close();
    });
  });
});
