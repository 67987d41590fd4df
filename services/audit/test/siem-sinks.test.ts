import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { decisionEvent } from './support/audit-events';
import { waitFor } from './support/fake-http-receiver';
import { startFakeDatadog } from './support/fake-siem-receivers';
import { startFakeSyslog, TEST_TLS } from './support/fake-syslog-receiver';
import { FAST_RETRIES } from './support/siem-harness';
import { useSiemSuite } from './support/siem-suite';
import { ENGINES } from './support/test-database';

jest.setTimeout(60_000);

describe.each(ENGINES)('SIEM sinks: Datadog and syslog (%s)', (engine) => {
  const siem = useSiemSuite(engine);

  it('Datadog: gzipped JSON arrays within the batch limit, DD-API-KEY, and a 429 Retry-After honoured', async () => {
    const datadog = await startFakeDatadog({ apiKey: 'dd-key' });
    siem.closeAfterTest(datadog.close);
    datadog.failNext(1, { status: 429, headers: { 'retry-after': '1' }, body: { errors: ['rate limited'] } });
    const harness = await siem.startHarness(
      [{ type: 'datadog', name: 'dd', url: datadog.url, api_key: 'dd-key', service: 'gateway', ddtags: 'env:test', format: 'ocsf', concurrency: 1, batch: { max_events: 3 }, ...FAST_RETRIES }],
      { start: false },
    );
    const events = Array.from({ length: 7 }, (_, i) => decisionEvent({ decision: i % 2 === 0 ? 'allow' : 'deny' }));
    await harness.ingest(events);
    harness.forwarder.start();

    await waitFor(() => datadog.logs.length === 7, 'seven log entries');
    const [throttled, ...rest] = datadog.requests;
    expect(throttled!.body).toBeDefined();
    // Nothing was sent before the second the sink asked for had passed.
    for (const request of rest) expect(request.at - throttled!.at).toBeGreaterThanOrEqual(1000);
    for (const request of datadog.requests) {
      expect(request.path).toBe('/api/v2/logs');
      expect(request.headers['content-encoding']).toBe('gzip');
      expect(request.raw.subarray(0, 2).toString('hex')).toBe('1f8b');
      expect(request.headers['dd-api-key']).toBe('dd-key');
      expect((JSON.parse(request.body) as unknown[]).length).toBeLessThanOrEqual(3);
    }
    const entry = datadog.logs[0]!;
    expect(entry).toMatchObject({ ddsource: 'mcp-authz', service: 'gateway', ddtags: 'env:test', hostname: expect.any(String) });
    const messages = datadog.logs.map((log) => JSON.parse(String(log.message)) as { class_uid: number; action_id: number; metadata: { uid: string } });
    expect(messages.every((message) => message.class_uid === 6003)).toBe(true);
    expect(messages.map((message) => message.metadata.uid).sort()).toEqual(events.map((event) => event.event_id).sort());
    expect(messages.find((message) => message.metadata.uid === events[1]!.event_id)!.action_id).toBe(2);
    await waitFor(async () => (await harness.statuses('dd')).delivered === 7, 'rows delivered');
  });

  it('syslog over TCP: RFC 5424 messages with octet counting, the event as JSON', async () => {
    const syslog = await startFakeSyslog(false);
    siem.closeAfterTest(syslog.close);
    const harness = await siem.startHarness([{ type: 'syslog', name: 'sys', url: syslog.url, hostname: 'gw-1', format: 'ecs', ...FAST_RETRIES }]);
    const events = [decisionEvent({ decision: 'deny', reason: 'multi\nline ] "reason"' }), decisionEvent()];
    await harness.ingest(events);

    await waitFor(() => syslog.messages.length === 2, 'two syslog messages');
    expect(syslog.framingErrors).toEqual([]);
    const denied = syslog.messages.find((message) => message.structuredData.includes(events[0]!.event_id))!;
    expect(denied).toMatchObject({ pri: 13 * 8 + 4, version: 1, hostname: 'gw-1', appName: 'mcp-authz', msgId: 'decision', timestamp: events[0]!.occurred_at });
    expect(JSON.parse(denied.msg)).toMatchObject({ event: { id: events[0]!.event_id, type: ['denied'] }, message: 'multi\nline ] "reason"' });
    await waitFor(async () => (await harness.statuses('sys')).delivered === 2, 'rows delivered');
  });

  it('syslog over TLS: verifies the receiver against the configured CA and sends CEF messages', async () => {
    const syslog = await startFakeSyslog(true);
    siem.closeAfterTest(syslog.close);
    const harness = await siem.startHarness([
      { type: 'syslog', name: 'trusted', url: syslog.url.replace('127.0.0.1', 'localhost'), message: 'cef', tls: { ca: TEST_TLS.cert }, ...FAST_RETRIES },
      { type: 'syslog', name: 'untrusted', url: syslog.url, ...FAST_RETRIES },
    ]);
    const event = decisionEvent({ decision: 'deny', tool: 'pipe|tool' });
    await harness.ingest([event]);

    await waitFor(() => syslog.messages.length === 1, 'one message over TLS');
    expect(syslog.messages[0]!.msg).toMatch(/^CEF:0\|mcp-authz\|mcp-authz\|[^|]+\|decision:deny\|tools\/call pipe\\\|tool denied\|5\|/);
    expect(syslog.messages[0]!.msg).toContain(`externalId=${event.event_id}`);
    await waitFor(async () => (await harness.statuses('trusted')).delivered === 1, 'trusted sink delivered');
    // Without the CA the self-signed certificate is refused: nothing sent, the row waits for a retry.
    await waitFor(async () => {
      const row = await harness.testDatabase.database.db.selectFrom('audit_deliveries').select(['status', 'last_error', 'attempts']).where('sink', '=', 'untrusted').executeTakeFirst();
      return (row?.attempts ?? 0) >= 1 && row?.status !== 'in_flight' && /certificate/i.test(row?.last_error ?? '');
    }, 'the untrusted sink to fail on the certificate');
    expect(syslog.messages).toHaveLength(1);
    expect((await harness.statuses('untrusted')).delivered).toBeUndefined();
  });

  it('a sink that never answers times out; after max_attempts the event is dead-lettered', async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    siem.closeAfterTest(
      () =>
        new Promise<void>((resolve) => {
          hanging.closeAllConnections();
          hanging.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
    const harness = await siem.startHarness([{ type: 'webhook', name: 'slow', url, secret: '0123456789abcdef', max_attempts: 2, ...FAST_RETRIES, timeout_ms: 200 }]);
    const event = decisionEvent();
    await harness.ingest([event]);

    await waitFor(async () => (await harness.statuses('slow')).dead === 1, 'the event dead-lettered');
    const { body } = await request(harness.app).get('/v1/dead-letters').query({ sink: 'slow' });
    expect(body.dead_letters).toEqual([expect.objectContaining({ event_id: event.event_id, attempts: 2, last_error: 'gave up after 2 attempts: no response within 200 ms' })]);
  });
});
