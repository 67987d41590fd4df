import request from 'supertest';
import { decisionEvent } from './support/audit-events';
import { buildTestApp, type TestApp } from './support/test-app';
import { ENGINES, openTestDatabase, type TestDatabase } from './support/test-database';

describe.each(ENGINES)('audit query API (%s)', (engine) => {
  let testDb: TestDatabase;
  let subject: TestApp;
  const tenant = 'query-tenant';
  const events = [
    decisionEvent({ tenant, principal: { id: 'alice', type: 'user' }, decision: 'allow', tool: 'read_file' }),
    decisionEvent({ tenant, principal: { id: 'bob', type: 'user' }, decision: 'deny', tool: 'write_file', reason: '=HYPERLINK("x"), "quoted"' }),
    decisionEvent({ tenant, principal: { id: 'alice', type: 'user' }, decision: 'deny', tool: 'write_file', request_id: 'req-77' }),
    decisionEvent({ tenant, event_type: 'mcp_request', agent_id: 'agent-9', server: 'slack', action: 'tools/list' }),
    decisionEvent({ tenant, principal: { id: 'carol' }, decision: 'allow', payload: { multi: 'line\nvalue' } }),
    decisionEvent({ tenant: 'someone-else' }),
  ];

  beforeAll(async () => {
    testDb = await openTestDatabase(engine);
    subject = buildTestApp(testDb.database);
    await request(subject.app).post('/v1/events').send({ events }).expect(202);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const ids = (body: { events: { event_id: string }[] }) => body.events.map((event) => event.event_id);

  it('filters by tenant, principal, decision, tool, event type, agent and request id', async () => {
    const byTenant = await request(subject.app).get('/v1/events').query({ tenant }).expect(200);
    expect(ids(byTenant.body)).toEqual(events.slice(0, 5).map((event) => event.event_id).reverse());

    const aliceDenied = await request(subject.app).get('/v1/events').query({ tenant, principal: 'alice', decision: 'deny' }).expect(200);
    expect(ids(aliceDenied.body)).toEqual([events[2]!.event_id]);
    const writes = await request(subject.app).get('/v1/events').query({ tenant, tool: 'write_file' }).expect(200);
    expect(ids(writes.body)).toEqual([events[2]!.event_id, events[1]!.event_id]);
    const requests = await request(subject.app).get('/v1/events').query({ event_type: 'mcp_request', agent: 'agent-9' }).expect(200);
    expect(ids(requests.body)).toEqual([events[3]!.event_id]);
    const byRequest = await request(subject.app).get('/v1/events').query({ request_id: 'req-77' }).expect(200);
    expect(ids(byRequest.body)).toEqual([events[2]!.event_id]);
  });

  it('filters by time range (from inclusive, to exclusive)', async () => {
    const response = await request(subject.app)
      .get('/v1/events')
      .query({ tenant, from: events[1]!.occurred_at, to: events[3]!.occurred_at })
      .expect(200);
    expect(ids(response.body)).toEqual([events[2]!.event_id, events[1]!.event_id]);
  });

  it('pages with an opaque cursor, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await request(subject.app)
        .get('/v1/events')
        .query({ tenant, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...ids(response.body));
      cursor = response.body.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(events.slice(0, 5).map((event) => event.event_id).reverse());
  });

  it('refuses a bad cursor, a limit above 1000 and unknown enum values with 400', async () => {
    const badCursor = await request(subject.app).get('/v1/events').query({ cursor: 'garbage' }).expect(400);
    expect(badCursor.body.error.details[0].path).toBe('cursor');
    const bigLimit = await request(subject.app).get('/v1/events').query({ limit: 1001 }).expect(400);
    expect(bigLimit.body.error.details[0].path).toBe('limit');
    await request(subject.app).get('/v1/events').query({ decision: 'perhaps' }).expect(400);
  });

  it('returns one event by id, 404 for an unknown one and 400 for a malformed one', async () => {
    const one = await request(subject.app).get(`/v1/events/${events[0]!.event_id}`).expect(200);
    expect(one.body).toMatchObject({ event_id: events[0]!.event_id, tenant, seq: 1, principal: { id: 'alice', type: 'user' } });
    expect(one.body.hash).toMatch(/^[0-9a-f]{64}$/);
    await request(subject.app).get('/v1/events/00000000-0000-4000-8000-000000000000').expect(404);
    await request(subject.app).get('/v1/events/nope').expect(400);
  });

  it('exports NDJSON', async () => {
    const response = await request(subject.app).get('/v1/events/export').query({ tenant }).expect(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    const lines = response.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.event_id)).toEqual(events.slice(0, 5).map((event) => event.event_id).reverse());
  });

  it('exports CSV with quoting and spreadsheet-formula protection', async () => {
    const response = await request(subject.app).get('/v1/events/export').query({ tenant, format: 'csv', tool: 'write_file' }).expect(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = response.text.trimEnd().split('\r\n');
    expect(header?.split(',').slice(0, 4)).toEqual(['event_id', 'tenant', 'seq', 'event_type']);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
  });

  it('verifies the chain over HTTP and reports tampering', async () => {
    expect((await request(subject.app).get('/v1/verify').query({ tenant }).expect(200)).body).toEqual({ ok: true, checked: 5, first_broken: null });
    await testDb.tamper([`update audit_events set tool = 'other' where event_id = '${events[3]!.event_id}'`]);
    const broken = await request(subject.app).get('/v1/verify').query({ tenant }).expect(200);
    expect(broken.body).toEqual({
      ok: false,
      checked: 3,
      first_broken: { tenant, seq: 4, event_id: events[3]!.event_id, reason: "hash does not match the event's content" },
    });
    const metrics = await request(subject.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/audit_verify_runs_total\{[^}]*result="broken"[^}]*\} 1/);
  });
});
