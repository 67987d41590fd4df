import request from 'supertest';
import { apiKeyMiddleware, createLogger, createMetricsRegistry, hashApiKey, staticApiKeysSource } from '../../common';
import { createDeliveryQueue } from '../siem/delivery-queue';
import { createSiemForwarder } from '../siem/siem-forwarder';
import { parseSinks } from '../siem/sink-config';
import { decisionEvent } from './support/audit-events';
import { startFakeElastic, startFakeHec, startFakeWebhook, type FakeHec } from './support/fake-siem-receivers';
import { unusedPort, waitFor } from './support/fake-http-receiver';
import { FAST_RETRIES, metricValue } from './support/siem-harness';
import { useSiemSuite } from './support/siem-suite';
import { ENGINES } from './support/test-database';

jest.setTimeout(60_000);

const TOKEN = '11111111-2222-3333-4444-555555555555';

describe.each(ENGINES)('SIEM forwarding (%s)', (engine) => {
  const siem = useSiemSuite(engine);

  describe('Splunk HEC', () => {
    it('sends events as concatenated HEC envelopes with index, sourcetype, source and the token', async () => {
      const hec = await startFakeHec({ token: TOKEN });
      siem.closeAfterTest(hec.close);
      const harness = await siem.startHarness([
        { type: 'splunk_hec', name: 'splunk', url: hec.url, token: TOKEN, index: 'mcp', sourcetype: 'mcp:audit', source: 'gateway', format: 'raw' },
      ]);
      const events = Array.from({ length: 5 }, () => decisionEvent());
      await harness.ingest(events);

      await waitFor(() => hec.events.length === 5, 'five events at the HEC');
      expect(hec.events.map((envelope) => envelope.event.event_id).sort()).toEqual(events.map((event) => event.event_id).sort());
      const first = hec.events.find((envelope) => envelope.event.event_id === events[0]!.event_id)!;
      expect(first).toMatchObject({ index: 'mcp', sourcetype: 'mcp:audit', source: 'gateway', time: Date.parse(events[0]!.occurred_at) / 1000 });
      expect(first.event).toMatchObject({ decision: 'allow', tool: 'create_issue', tenant: 'default' });
      const body = hec.requests.find((req) => req.path === '/services/collector/event')!.body;
      expect(body.trimStart().startsWith('{')).toBe(true);
      await waitFor(async () => (await harness.statuses('splunk')).delivered === 5, 'rows marked delivered');
      expect(await metricValue(harness.registry, 'audit_siem_events_delivered_total', { sink: 'splunk' })).toBe(5);
      // Delivered rows leave the outbox.
      expect(await harness.statuses('splunk')).toEqual({ delivered: 5 });
    });

    it('with indexer acknowledgement, a batch counts as delivered only once its ack id is indexed', async () => {
      const hec = await startFakeHec({ token: TOKEN });
      hec.ackPollsBeforeIndexed = 2;
      siem.closeAfterTest(hec.close);
      const harness = await siem.startHarness([{ type: 'splunk_hec', name: 'splunk', url: `${hec.url}/services/collector/event`, token: TOKEN, ack: { poll_interval_ms: 20, timeout_ms: 5000 } }]);
      await harness.ingest([decisionEvent(), decisionEvent()]);

      await waitFor(async () => (await harness.statuses('splunk')).delivered === 2, 'rows marked delivered');
      expect(hec.ackPolls).toBeGreaterThanOrEqual(3);
      expect(hec.events).toHaveLength(2);
      const eventRequest = hec.requests.find((req) => req.path === '/services/collector/event')!;
      const channel = eventRequest.headers['x-splunk-request-channel'];
      expect(channel).toMatch(/^[0-9a-f-]{36}$/);
      expect(hec.requests.filter((req) => req.path.startsWith('/services/collector/ack')).every((req) => req.path === `/services/collector/ack?channel=${channel}`)).toBe(true);
    });

    it('stopping cuts off a batch still waiting for its acknowledgement; the row is sent again later', async () => {
      const hec = await startFakeHec({ token: TOKEN });
      hec.ackPollsBeforeIndexed = Number.MAX_SAFE_INTEGER;
      siem.closeAfterTest(hec.close);
      const harness = await siem.startHarness([{ type: 'splunk_hec', name: 'splunk', url: hec.url, token: TOKEN, ack: { poll_interval_ms: 20, timeout_ms: 600_000 } }]);
      await harness.ingest([decisionEvent()]);
      await waitFor(() => hec.ackPolls > 0, 'acknowledgement polling');

      await harness.forwarder.stop();
      const row = await harness.testDatabase.database.db.selectFrom('audit_deliveries').select(['status', 'last_error']).where('sink', '=', 'splunk').executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', last_error: 'stopped before the batch was acknowledged' });
    });

    it('on 400 invalid-event-number: earlier events count as indexed, that event is dead-lettered, later ones are sent again', async () => {
      const hec = await startFakeHec({ token: TOKEN });
      siem.closeAfterTest(hec.close);
      const harness = await siem.startHarness([{ type: 'splunk_hec', name: 'splunk', url: hec.url, token: TOKEN, ...FAST_RETRIES }], { start: false });
      const events = [decisionEvent(), decisionEvent(), decisionEvent({ payload: { poison: true } }), decisionEvent(), decisionEvent()];
      await harness.ingest(events);
      harness.forwarder.start();

      await waitFor(async () => {
        const statuses = await harness.statuses('splunk');
        return statuses.delivered === 4 && statuses.dead === 1;
      }, 'four delivered and one dead');
      const received = hec.events.map((envelope) => envelope.event.event_id);
      expect([...received].sort()).toEqual(events.filter((_, i) => i !== 2).map((event) => event.event_id).sort());
      const { body } = await request(harness.app).get('/v1/dead-letters');
      expect(body.dead_letters).toEqual([expect.objectContaining({ event_id: events[2]!.event_id, sink: 'splunk', attempts: 1, last_error: expect.stringContaining('invalid-event-number') })]);
    });

    it('a sink down for the whole ingest receives every event exactly once when it comes back', async () => {
      const port = await unusedPort();
      const harness = await siem.startHarness([
        { type: 'splunk_hec', name: 'splunk', url: `http://127.0.0.1:${port}`, token: TOKEN, max_attempts: 1000, batch: { max_events: 7 }, ...FAST_RETRIES },
      ]);
      const events = Array.from({ length: 40 }, () => decisionEvent());
      for (let i = 0; i < events.length; i += 10) await harness.ingest(events.slice(i, i + 10));
      await waitFor(async () => (await metricValue(harness.registry, 'audit_siem_breaker_state', { sink: 'splunk' })) === 2, 'the breaker to open');
      expect((await harness.statuses('splunk')).delivered).toBeUndefined();
      await harness.forwarder.refreshGauges();
      expect(await metricValue(harness.registry, 'audit_siem_lag_seconds', { sink: 'splunk' })).toBeGreaterThan(0);

      const hec: FakeHec = await startFakeHec({ token: TOKEN, port });
      siem.closeAfterTest(hec.close);
      await waitFor(async () => (await harness.statuses('splunk')).delivered === 40, 'all rows delivered', 30_000);
      const received = hec.events.map((envelope) => String(envelope.event.event_id));
      expect(received).toHaveLength(40);
      expect(new Set(received).size).toBe(40);
      expect([...received].sort()).toEqual(events.map((event) => event.event_id).sort());
      expect(hec.requests.every((req) => req.body.split('\n').length <= 7)).toBe(true);
      expect(await harness.statuses('splunk')).toEqual({ delivered: 40 });
      await harness.forwarder.refreshGauges();
      expect(await metricValue(harness.registry, 'audit_siem_lag_seconds', { sink: 'splunk' })).toBe(0);
      expect(await metricValue(harness.registry, 'audit_siem_events_failed_total', { sink: 'splunk', kind: 'transient' })).toBeGreaterThan(0);
      const { body } = await request(harness.app).get('/v1/dead-letters');
      expect(body.dead_letters).toEqual([]);
    });
  });

  describe('relay', () => {
    it('two relays on one database share the outbox without sending an event twice', async () => {
      const hec = await startFakeHec({ token: TOKEN });
      siem.closeAfterTest(hec.close);
      const sinks = [{ type: 'splunk_hec', name: 'splunk', url: hec.url, token: TOKEN, concurrency: 3, batch: { max_events: 5 } }];
      const harness = await siem.startHarness(sinks, { start: false });
      const second = createSiemForwarder({
        database: harness.testDatabase.database,
        sinks: parseSinks(JSON.stringify(sinks)),
        registry: createMetricsRegistry({ service: 'audit', processMetrics: false }),
        logger: createLogger({ service: 'audit-test', level: 'silent' }),
        pollIntervalMs: 20,
      });
      const events = Array.from({ length: 60 }, () => decisionEvent());
      await harness.ingest(events);
      harness.forwarder.start();
      second.start();
      try {
        await waitFor(() => hec.events.length >= 60, 'sixty events at the HEC');
        await waitFor(async () => (await harness.statuses('splunk')).pending === undefined && (await harness.statuses('splunk')).in_flight === undefined, 'an empty outbox');
      } finally {
        await second.stop();
      }
      const received = hec.events.map((envelope) => String(envelope.event.event_id));
      expect(received).toHaveLength(60);
      expect(new Set(received).size).toBe(60);
    });

    it('rows claimed by a relay that died become due again when their lease expires', async () => {
      const harness = await siem.startHarness([{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/x', secret: '0123456789abcdef' }], { start: false });
      await harness.ingest([decisionEvent(), decisionEvent()]);
      const queue = createDeliveryQueue(harness.testDatabase.database);
      expect(await queue.claim('hook', 10, 60_000)).toHaveLength(2);
      expect(await queue.claim('hook', 10, 60_000)).toHaveLength(0);
      expect(await queue.releaseExpiredLeases('hook')).toBe(0);
      await harness.testDatabase.database.db.updateTable('audit_deliveries').set({ next_attempt_at: new Date(Date.now() - 1000) }).execute();
      expect(await queue.releaseExpiredLeases('hook')).toBe(2);
      const reclaimed = await queue.claim('hook', 10, 60_000);
      expect(reclaimed.map((row) => row.attempts)).toEqual([2, 2]);
      expect(reclaimed.every((row) => row.event?.event.event_id === row.eventId)).toBe(true);
    });

    it('rows of events this instance stored are sent from its memory, as the same events the database holds', async () => {
      const harness = await siem.startHarness([{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/x', secret: '0123456789abcdef' }], { start: false });
      const events = [decisionEvent(), decisionEvent({ decision: 'deny', payload: { b: [1, { z: 'x', a: null }], a: 'api_key=secret-value', 10: true } })];
      await harness.ingest(events);
      const remembered = await createDeliveryQueue(harness.testDatabase.database, harness.store.recentEvents).claim('hook', 10, 60_000);
      expect(remembered.map((row) => row.event?.canonical === undefined)).toEqual([false, false]);
      await harness.testDatabase.database.db.updateTable('audit_deliveries').set({ status: 'pending', next_attempt_at: new Date(Date.now() - 1000) }).execute();
      const readBack = await createDeliveryQueue(harness.testDatabase.database).claim('hook', 10, 60_000);
      expect(readBack.map((row) => row.event?.canonical)).toEqual([undefined, undefined]);
      expect(remembered.map((row) => row.event?.event)).toEqual(readBack.map((row) => row.event?.event));
      expect(remembered.map((row) => row.event?.occurredAt)).toEqual(readBack.map((row) => row.event?.occurredAt));
    });
  });

  describe('Elastic _bulk', () => {
    it('creates documents with _id = event id; 409 counts as delivered, item 429 is retried, item 400 is dead-lettered and redriven', async () => {
      const elastic = await startFakeElastic({ apiKey: 'es-key' });
      siem.closeAfterTest(elastic.close);
      const harness = await siem.startHarness([{ type: 'elastic', name: 'es', url: elastic.url, api_key: 'es-key', index: 'audit', format: 'ecs', ...FAST_RETRIES }], { start: false });
      const [existing, throttled, refused, plain] = [decisionEvent(), decisionEvent(), decisionEvent({ decision: 'deny' }), decisionEvent()];
      elastic.documents.set(`audit/${existing!.event_id}`, { seeded: true });
      elastic.itemStatus.set(throttled!.event_id, 429);
      elastic.itemStatus.set(refused!.event_id, 400);
      await harness.ingest([existing!, throttled!, refused!, plain!]);
      harness.forwarder.start();

      await waitFor(async () => (await harness.statuses('es')).dead === 1, 'the refused event dead-lettered');
      elastic.itemStatus.delete(throttled!.event_id);
      await waitFor(async () => (await harness.statuses('es')).delivered === 3, 'three delivered');
      expect(elastic.documents.get(`audit/${existing!.event_id}`)).toEqual({ seeded: true });
      expect(elastic.documents.get(`audit/${plain!.event_id}`)).toMatchObject({ event: { id: plain!.event_id, category: ['api'], type: ['allowed'] } });
      expect(elastic.documents.has(`audit/${throttled!.event_id}`)).toBe(true);

      const listed = await request(harness.app).get('/v1/dead-letters').query({ sink: 'es' });
      expect(listed.body.dead_letters).toEqual([expect.objectContaining({ event_id: refused!.event_id, last_error: expect.stringContaining('mapper_parsing_exception') })]);

      elastic.itemStatus.delete(refused!.event_id);
      const redriven = await request(harness.app).post('/v1/dead-letters/redrive').send({ sink: 'es' });
      expect(redriven.status).toBe(200);
      expect(redriven.body).toEqual({ redriven: 1 });
      await waitFor(async () => (await harness.statuses('es')).delivered === 4, 'the redriven event delivered');
      expect(elastic.documents.get(`audit/${refused!.event_id}`)).toMatchObject({ event: { type: ['denied'], outcome: 'failure' } });
      expect((await request(harness.app).get('/v1/dead-letters')).body.dead_letters).toEqual([]);
      expect((await request(harness.app).get('/v1/dead-letters').query({ include_redriven: 'true' })).body.dead_letters).toEqual([
        expect.objectContaining({ event_id: refused!.event_id, redriven_at: expect.any(String) }),
      ]);
    });
  });

  describe('webhook', () => {
    it('posts a signed JSON array; a permanent 4xx dead-letters the batch, which a redrive delivers', async () => {
      const secret = 'webhook-secret-0123456789';
      const webhook = await startFakeWebhook({ secret, header: 'X-Audit-Signature' });
      siem.closeAfterTest(webhook.close);
      webhook.failNext(1, { status: 422, body: { error: 'schema' } });
      const harness = await siem.startHarness([{ type: 'webhook', name: 'hook', url: `${webhook.url}/hooks/audit`, secret, signature_header: 'X-Audit-Signature', format: 'ocsf', ...FAST_RETRIES }], { start: false });
      const events = [decisionEvent(), decisionEvent({ decision: 'deny' })];
      await harness.ingest(events);
      harness.forwarder.start();

      await waitFor(async () => (await harness.statuses('hook')).dead === 2, 'both dead-lettered');
      expect(webhook.requests).toHaveLength(1);
      const listed = await request(harness.app).get('/v1/dead-letters').query({ limit: 1 });
      expect(listed.body.dead_letters).toHaveLength(1);
      const next = await request(harness.app).get('/v1/dead-letters').query({ limit: 1, cursor: listed.body.next_cursor });
      expect(next.body.dead_letters).toHaveLength(1);
      expect(next.body.next_cursor).toBeNull();
      expect([listed.body.dead_letters[0].event_id, next.body.dead_letters[0].event_id].sort()).toEqual(events.map((e) => e.event_id).sort());
      expect(listed.body.dead_letters[0].last_error).toContain('HTTP 422');
      await harness.forwarder.refreshGauges();
      expect(await metricValue(harness.registry, 'audit_siem_dead_letters', { sink: 'hook' })).toBe(2);
      expect(await metricValue(harness.registry, 'audit_siem_dead_letters_total', { sink: 'hook' })).toBe(2);

      const redriven = await request(harness.app).post('/v1/dead-letters/redrive').send({ event_ids: [events[1]!.event_id] });
      expect(redriven.body).toEqual({ redriven: 1 });
      await waitFor(() => webhook.events.length === 1, 'the redriven event at the webhook');
      expect(webhook.requests[1]!.path).toBe('/hooks/audit');
      expect(webhook.events[0]).toMatchObject({ class_uid: 6003, action_id: 2, metadata: { uid: events[1]!.event_id } });
      expect((await request(harness.app).post('/v1/dead-letters/redrive').send({ sink: 'nope' })).status).toBe(400);
    });
  });
  describe('dead-letter API access', () => {
    it('needs an operator key: a key bound to one tenant is refused', async () => {
      const authenticate = apiKeyMiddleware(
        staticApiKeysSource([
          { id: 'k1', name: 'acme producer', tenant: 'acme', sha256: hashApiKey('acme-key'), created_at: '2026-01-01T00:00:00Z' },
          { id: 'k2', name: 'operator', tenant: '*', sha256: hashApiKey('operator-key'), created_at: '2026-01-01T00:00:00Z' },
        ]),
      );
      const harness = await siem.startHarness([{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/x', secret: '0123456789abcdef' }], { start: false, authenticate });
      const tenantList = await request(harness.app).get('/v1/dead-letters').set('authorization', 'Bearer acme-key');
      expect(tenantList.status).toBe(403);
      expect(tenantList.body.error.code).toBe('forbidden');
      expect((await request(harness.app).post('/v1/dead-letters/redrive').set('authorization', 'Bearer acme-key').send({})).status).toBe(403);
      expect((await request(harness.app).get('/v1/dead-letters')).status).toBe(401);
      const operatorList = await request(harness.app).get('/v1/dead-letters').set('authorization', 'Bearer operator-key');
      expect(operatorList.status).toBe(200);
      expect(operatorList.body).toEqual({ dead_letters: [], next_cursor: null });
      expect((await request(harness.app).post('/v1/dead-letters/redrive').set('authorization', 'Bearer operator-key').send({})).body).toEqual({ redriven: 0 });
    });
  });
});
