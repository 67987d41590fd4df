import request from 'supertest';
import { decisionEvent } from './support/audit-events';
import { buildTestApp, type TestApp } from './support/test-app';
import { ENGINES, openTestDatabase, type TestDatabase } from './support/test-database';

const ACME = 'acme-producer-key';
const GLOBEX = 'globex-producer-key';
const OPERATOR = 'operator-key';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const ids = (events: { event_id: string }[]) => events.map((event) => event.event_id).sort();

describe.each(ENGINES)('audit tenant isolation by API key (%s)', (engine) => {
  let testDb: TestDatabase;
  let keyed: TestApp;
  let open: TestApp;
  // Without a tenant (the key's is filled in) and with the key's own tenant named.
  const acmeEvents = [decisionEvent({}), decisionEvent({ tenant: 'acme' })];
  delete acmeEvents[0]!.tenant;
  const globexEvents = [decisionEvent({ tenant: 'globex' })];

  beforeAll(async () => {
    testDb = await openTestDatabase(engine);
    keyed = buildTestApp(testDb.database, { apiKeys: { [ACME]: 'acme', [GLOBEX]: 'globex', [OPERATOR]: '*' } });
    open = buildTestApp(testDb.database);
    await request(keyed.app).post('/v1/events').set(bearer(ACME)).send({ events: acmeEvents }).expect(202);
    await request(keyed.app).post('/v1/events').set(bearer(GLOBEX)).send({ events: globexEvents }).expect(202);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  async function storedTenant(eventId: string): Promise<string | undefined> {
    const row = await testDb.database.db.selectFrom('audit_event_ids').select('tenant').where('event_id', '=', eventId).executeTakeFirst();
    return row?.tenant;
  }

  it("stores a bound key's events under its tenant, also those that named none", async () => {
    expect(await storedTenant(acmeEvents[0]!.event_id)).toBe('acme');
    expect(await storedTenant(acmeEvents[1]!.event_id)).toBe('acme');
  });

  it("refuses a whole batch with another tenant's event: 403 naming each offending field, nothing stored", async () => {
    const batch = [decisionEvent({ tenant: 'acme' }), decisionEvent({ tenant: 'globex' }), decisionEvent({ tenant: 'default' })];
    const response = await request(keyed.app).post('/v1/events').set(bearer(ACME)).send({ events: batch }).expect(403);
    expect(response.body.error).toEqual({
      code: 'forbidden',
      message: 'this API key is bound to tenant acme',
      details: [
        { path: 'events.1.tenant', message: "expected acme (the key's tenant) or nothing" },
        { path: 'events.2.tenant', message: "expected acme (the key's tenant) or nothing" },
      ],
    });
    for (const event of batch) expect(await storedTenant(event.event_id)).toBeUndefined();
  });

  it('gateway events take the tenant of the gateway key', async () => {
    const body = { event_type: 'tool_invoked', decision: 'allow', reason: 'ok', timestamp: 1_767_225_600, gateway_request_id: 'gw-tenant-1' };
    const response = await request(keyed.app).post('/api/v1/gateway/audit').set('X-Gateway-Api-Key', GLOBEX).send(body).expect(201);
    expect(await storedTenant(response.body.audit_id)).toBe('globex');
  });

  it('lists and exports only the key’s tenant; asking for another is a 403 naming `tenant`', async () => {
    const listed = await request(keyed.app).get('/v1/events').set(bearer(ACME)).query({ limit: 1000 }).expect(200);
    expect(ids(listed.body.events)).toEqual(ids(acmeEvents));
    const named = await request(keyed.app).get('/v1/events').set(bearer(ACME)).query({ tenant: 'acme' }).expect(200);
    expect(ids(named.body.events)).toEqual(ids(acmeEvents));

    const other = await request(keyed.app).get('/v1/events').set(bearer(ACME)).query({ tenant: 'globex' }).expect(403);
    expect(other.body.error.details).toEqual([{ path: 'tenant', message: "expected acme (the key's tenant) or nothing" }]);
    await request(keyed.app).get('/v1/events/export').set(bearer(ACME)).query({ tenant: 'globex' }).expect(403);

    const exported = await request(keyed.app).get('/v1/events/export').set(bearer(ACME)).expect(200);
    const lines = exported.text.trim().split('\n').map((line) => JSON.parse(line) as { event_id: string; tenant: string });
    expect(ids(lines)).toEqual(ids(acmeEvents));
  });

  it("answers another tenant's event by id with 404, as if it did not exist", async () => {
    await request(keyed.app).get(`/v1/events/${globexEvents[0]!.event_id}`).set(bearer(ACME)).expect(404);
    const own = await request(keyed.app).get(`/v1/events/${acmeEvents[0]!.event_id}`).set(bearer(ACME)).expect(200);
    expect(own.body.tenant).toBe('acme');
  });

  it("verifies only the key's chain; another tenant's is a 403", async () => {
    const verified = await request(keyed.app).get('/v1/verify').set(bearer(ACME)).expect(200);
    expect(verified.body).toEqual({ ok: true, checked: 2, first_broken: null });
    await request(keyed.app).get('/v1/verify').set(bearer(ACME)).query({ tenant: 'globex' }).expect(403);
  });

  it('an operator key (tenant "*") writes and reads every tenant; its untenanted events get "default"', async () => {
    const untenanted = decisionEvent({});
    delete untenanted.tenant;
    const written = [decisionEvent({ tenant: 'initech' }), untenanted];
    await request(keyed.app).post('/v1/events').set(bearer(OPERATOR)).send({ events: written }).expect(202);
    expect(await storedTenant(written[0]!.event_id)).toBe('initech');
    expect(await storedTenant(untenanted.event_id)).toBe('default');

    const globex = await request(keyed.app).get('/v1/events').set(bearer(OPERATOR)).query({ tenant: 'globex' }).expect(200);
    expect(globex.body.events.map((event: { tenant: string }) => event.tenant)).toEqual(['globex', 'globex']);
    await request(keyed.app).get(`/v1/events/${globexEvents[0]!.event_id}`).set(bearer(OPERATOR)).expect(200);
    const all = await request(keyed.app).get('/v1/verify').set(bearer(OPERATOR)).expect(200);
    // acme 2, globex 2 (one through the gateway), initech 1, default 1.
    expect(all.body).toEqual({ ok: true, checked: 6, first_broken: null });
  });

  it('without keys (loopback mode) every tenant stays writable and readable, as before', async () => {
    const event = decisionEvent({ tenant: 'umbrella' });
    await request(open.app).post('/v1/events').send({ events: [event] }).expect(202);
    expect(await storedTenant(event.event_id)).toBe('umbrella');
    const acme = await request(open.app).get('/v1/events').query({ tenant: 'acme' }).expect(200);
    expect(ids(acme.body.events)).toEqual(ids(acmeEvents));
    await request(open.app).get(`/v1/events/${globexEvents[0]!.event_id}`).expect(200);
  });
});
