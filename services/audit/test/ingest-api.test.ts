import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { sql } from 'kysely';
import { decisionEvent } from './support/audit-events';
import { buildTestApp, type TestApp } from './support/test-app';
import { ENGINES, openTestDatabase, type TestDatabase } from './support/test-database';

describe.each(ENGINES)('audit ingest API (%s)', (engine) => {
  let testDb: TestDatabase;
  let subject: TestApp;

  beforeAll(async () => {
    testDb = await openTestDatabase(engine);
    subject = buildTestApp(testDb.database, { sinkNames: ['splunk', 'datadog'] });
  });
  afterAll(async () => {
    await testDb.drop();
  });

  async function countRows(table: 'audit_events' | 'audit_deliveries', eventIds: string[]): Promise<number> {
    const result = await sql<{ count: string | number }>`select count(*) as count from ${sql.table(table)} where event_id = any(${eventIds}::uuid[])`.execute(
      testDb.database.db,
    );
    return Number(result.rows[0]?.count);
  }

  it('stores a batch, answers 202 after commit, and adds nothing when the same batch is retried', async () => {
    const events = [decisionEvent(), decisionEvent({ tenant: 'acme' }), decisionEvent()];
    const ids = events.map((event) => event.event_id);

    const first = await request(subject.app).post('/v1/events').send({ events }).expect(202);
    expect(first.body).toEqual({ accepted: 3, duplicates: 0 });
    expect(await countRows('audit_events', ids)).toBe(3);

    const retry = await request(subject.app).post('/v1/events').send({ events }).expect(202);
    expect(retry.body).toEqual({ accepted: 0, duplicates: 3 });
    expect(await countRows('audit_events', ids)).toBe(3);
  });

  it('counts an event repeated inside one batch once', async () => {
    const event = decisionEvent();
    const response = await request(subject.app).post('/v1/events').send({ events: [event, event] }).expect(202);
    expect(response.body).toEqual({ accepted: 1, duplicates: 1 });
  });

  it('accepts a gzipped body, as the audit client sends it', async () => {
    const events = [decisionEvent(), decisionEvent()];
    const server = subject.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(Buffer.from(JSON.stringify({ events }))),
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 2, duplicates: 0 });
    } finally {
      server.close();
    }
  });

  it('writes one outbox row per sink in the same transaction as the event', async () => {
    const event = decisionEvent();
    await request(subject.app).post('/v1/events').send({ events: [event] }).expect(202);
    const rows = await testDb.database.db
      .selectFrom('audit_deliveries')
      .select(['sink', 'status', 'attempts'])
      .where('event_id', '=', event.event_id)
      .orderBy('sink')
      .execute();
    expect(rows).toEqual([
      { sink: 'datadog', status: 'pending', attempts: 0 },
      { sink: 'splunk', status: 'pending', attempts: 0 },
    ]);
    await request(subject.app).post('/v1/events').send({ events: [event] }).expect(202);
    expect(await countRows('audit_deliveries', [event.event_id])).toBe(2);
  });

  it('rejects an invalid batch with 400, naming each invalid field, and stores none of it', async () => {
    const good = decisionEvent();
    const response = await request(subject.app)
      .post('/v1/events')
      .send({ events: [good, { ...decisionEvent(), event_id: 'not-a-uuid', decision: 'maybe', surprise: 1 }] })
      .expect(400);
    expect(response.body.error.code).toBe('invalid_request');
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['events.1.event_id', 'events.1.decision']));
    expect(response.body.error.details.some((detail: { message: string }) => detail.message.includes('surprise'))).toBe(true);
    expect(await countRows('audit_events', [good.event_id])).toBe(0);
  });

  it('names invalid events by their place in the whole batch, beyond the first slice checked too', async () => {
    const events: unknown[] = Array.from({ length: 450 }, () => decisionEvent());
    events[0] = { ...(events[0] as object), event_id: 'bad' };
    events[257] = { ...(events[257] as object), decision: 'maybe' };
    events[449] = 'not an event';
    const response = await request(subject.app).post('/v1/events').send({ events }).expect(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['events.0.event_id', 'events.257.decision', 'events.449']);
    expect(await countRows('audit_events', [(events[1] as { event_id: string }).event_id])).toBe(0);
  });

  it('rejects more than 1000 events, an empty batch and a time far in the future', async () => {
    const many = Array.from({ length: 1001 }, () => decisionEvent());
    const tooMany = await request(subject.app).post('/v1/events').send({ events: many }).expect(400);
    expect(tooMany.body.error.details[0].path).toBe('events');
    await request(subject.app).post('/v1/events').send({ events: [] }).expect(400);
    const future = await request(subject.app)
      .post('/v1/events')
      .send({ events: [decisionEvent({ occurred_at: '2999-01-01T00:00:00Z' })] })
      .expect(400);
    expect(future.body.error.details[0].path).toBe('events.0.occurred_at');
  });

  it('names the fields the schema refuses before an event that only preparation refuses, and stores nothing', async () => {
    const [outOfRange, valid] = [decisionEvent({ occurred_at: '2999-01-01T00:00:00Z' }), decisionEvent()];
    const invalid: unknown = { ...decisionEvent(), decision: 'maybe' };
    const schemaFirst = await request(subject.app).post('/v1/events').send({ events: [outOfRange, valid, invalid] }).expect(400);
    expect(schemaFirst.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['events.2.decision']);
    const preparation = await request(subject.app).post('/v1/events').send({ events: [valid, outOfRange, decisionEvent({ occurred_at: '1999-01-01T00:00:00Z' })] }).expect(400);
    expect(preparation.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['events.1.occurred_at']);
    expect(await countRows('audit_events', [valid.event_id])).toBe(0);
  });

  it('answers 400, not 500, when Postgres refuses a value (a NUL character)', async () => {
    const response = await request(subject.app)
      .post('/v1/events')
      .send({ events: [decisionEvent({ reason: 'bad \u0000 byte' })] })
      .expect(400);
    expect(response.body.error.code).toBe('invalid_request');
  });

  it('redacts secret-looking keys, secret-looking values and the PDP masks before storage', async () => {
    const event = decisionEvent({
      uri: 'https://api.example.com/x?access_token=abc123&page=2',
      payload: {
        arguments: { title: 'ok', password: 'hunter2', nested: [{ GitHub_Token: 'x' }], max_tokens: 100, ssn: '123-45-6789' },
        headers: { Authorization: 'Bearer abcdefghijk' },
        note: 'Bearer abcdefghijklmnop',
        input: { card: '4111111111111111', keep: true },
      },
      masks: ['/payload/input/card', { op: 'remove', path: '/payload/input/keep' }, { op: 'upsert', path: '/payload/masked_by', value: 'policy' }],
    });
    const redacting = buildTestApp(testDb.database, { redactKeys: ['ssn'] });
    await request(redacting.app).post('/v1/events').send({ events: [event] }).expect(202);
    const stored = await request(redacting.app).get(`/v1/events/${event.event_id}`).expect(200);
    expect(stored.body.payload).toEqual({
      arguments: { title: 'ok', password: '[REDACTED]', nested: [{ GitHub_Token: '[REDACTED]' }], max_tokens: 100, ssn: '[REDACTED]' },
      headers: { Authorization: '[REDACTED]' },
      note: '[REDACTED]',
      input: { card: '[REDACTED]' },
      masked_by: 'policy',
    });
    expect(stored.body.uri).toBe('https://api.example.com/x?access_token=[REDACTED]&page=2');
    expect(JSON.stringify(stored.body)).not.toContain('hunter2');
  });

  it('takes the SARK gateway audit call with X-Gateway-Api-Key and stores a retried call once', async () => {
    const keyed = buildTestApp(testDb.database, { apiKeys: { 'gw-secret-key': 'acme' } });
    const body = {
      event_type: 'tool_invoke',
      user_id: 'bob',
      server_name: 'postgres-mcp',
      tool_name: 'execute_query',
      decision: 'deny',
      reason: 'sensitive tool',
      timestamp: Math.floor(Date.parse('2026-01-02T10:00:00Z') / 1000),
      gateway_request_id: 'gw-req-1',
      metadata: { ip: '10.0.0.1' },
    };
    await request(keyed.app).post('/api/v1/gateway/audit').send(body).expect(401);
    const first = await request(keyed.app).post('/api/v1/gateway/audit').set('X-Gateway-Api-Key', 'gw-secret-key').send(body).expect(201);
    expect(first.body).toEqual({ audit_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'logged' });
    const again = await request(keyed.app).post('/api/v1/gateway/audit').set('X-Gateway-Api-Key', 'gw-secret-key').send(body).expect(201);
    expect(again.body.audit_id).toBe(first.body.audit_id);
    expect(await countRows('audit_events', [first.body.audit_id])).toBe(1);

    const stored = await request(keyed.app).get(`/v1/events/${first.body.audit_id}`).set('x-api-key', 'gw-secret-key').expect(200);
    expect(stored.body).toMatchObject({
      tenant: 'acme',
      event_type: 'decision',
      decision: 'deny',
      principal: { id: 'bob', type: 'user' },
      server: 'postgres-mcp',
      tool: 'execute_query',
      request_id: 'gw-req-1',
      occurred_at: '2026-01-02T10:00:00.000Z',
    });
  });

  it('refuses unauthenticated producers with 401 when API keys are configured', async () => {
    const keyed = buildTestApp(testDb.database, { apiKeys: { 'producer-key': 'default' } });
    const missing = await request(keyed.app).post('/v1/events').send({ events: [decisionEvent()] }).expect(401);
    expect(missing.body.error.code).toBe('unauthorized');
    await request(keyed.app).post('/v1/events').set('authorization', 'Bearer wrong').send({ events: [decisionEvent()] }).expect(401);
    await request(keyed.app).get('/v1/events').expect(401);
    await request(keyed.app).post('/v1/events').set('authorization', 'Bearer producer-key').send({ events: [decisionEvent()] }).expect(202);
  });

  it('reports the database in /ready and ingest figures in /metrics', async () => {
    const ready = await request(subject.app).get('/ready').expect(200);
    expect(ready.body.components.database).toEqual({ ready: true, detail: testDb.database.engine });
    const metrics = await request(subject.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/audit_events_ingested_total\{[^}]*source="events"[^}]*\} \d+/);
    expect(metrics.text).toContain('audit_ingest_batch_duration_seconds_bucket');
    expect(metrics.text).toMatch(/audit_events_duplicate_total\{[^}]*\} [1-9]/);
  });
});
