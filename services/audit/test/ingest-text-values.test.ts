import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { decisionEvent } from './support/audit-events';
import { buildTestApp, type TestApp } from './support/test-app';
import { ENGINES, openTestDatabase, type TestDatabase } from './support/test-database';

// On a Postgres server rows go in through COPY's text format, where tab, newline, carriage return and
// backslash are syntax: what is stored and hashed must still be exactly what was sent.
describe.each(ENGINES)('text values on their way into the store (%s)', (engine) => {
  let testDb: TestDatabase;
  let subject: TestApp;

  beforeAll(async () => {
    testDb = await openTestDatabase(engine);
    subject = buildTestApp(testDb.database, { sinkNames: ['splunk'] });
  });
  afterAll(() => testDb.drop());

  it('keeps tabs, newlines, carriage returns, backslashes and non-BMP characters exactly, and the chain verifies', async () => {
    const tenant = `text-${randomUUID()}`;
    const awkward = 'col\tumn\nline\r\nback\\slash \\N \\t 😀 é';
    const event = decisionEvent({
      tenant,
      reason: awkward,
      tool: 'C:\\tools\\grep',
      principal: { id: 'tab\there', type: 'user' },
      payload: { 'key\twith\ttabs': awkward, nested: ['\\', '\n', { '\\N': null }] },
    });
    await request(subject.app).post('/v1/events').send({ events: [event, decisionEvent({ tenant })] }).expect(202);

    const stored = await request(subject.app).get(`/v1/events/${event.event_id}`).expect(200);
    expect(stored.body).toMatchObject({ reason: awkward, tool: 'C:\\tools\\grep', principal: { id: 'tab\there', type: 'user' }, payload: event.payload });
    expect((await request(subject.app).get('/v1/verify').query({ tenant }).expect(200)).body).toMatchObject({ ok: true, checked: 2 });
  });

  it('refuses a lone UTF-16 surrogate with 400 and stores nothing of the batch', async () => {
    const tenant = `text-${randomUUID()}`;
    const fine = decisionEvent({ tenant });
    const response = await request(subject.app)
      .post('/v1/events')
      .send({ events: [fine, decisionEvent({ tenant, reason: 'half a pair: \ud83d' })] })
      .expect(400);
    expect(response.body.error.code).toBe('invalid_request');
    await request(subject.app).get(`/v1/events/${fine.event_id}`).expect(404);
  });
});
