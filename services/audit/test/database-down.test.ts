import request from 'supertest';
import { openAuditDatabase } from '../store/audit-database';
import { decisionEvent } from './support/audit-events';
import { buildTestApp } from './support/test-app';
import { openTestDatabase } from './support/test-database';

describe('audit service with its database down', () => {
  it('answers 503 with a JSON error when the Postgres server is unreachable, and /ready says so', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const database = await openAuditDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      const { app } = buildTestApp(database);
      const ingest = await request(app).post('/v1/events').send({ events: [decisionEvent()] }).expect(503);
      expect(ingest.body).toEqual({
        error: { code: 'database_unavailable', message: 'the audit database is unavailable; retry later', details: [] },
      });
      expect(ingest.headers['retry-after']).toBe('1');
      await request(app).get('/v1/events').expect(503);
      await request(app).get('/v1/verify').expect(503);
      const ready = await request(app).get('/ready').expect(503);
      expect(ready.body.components.database.ready).toBe(false);
    } finally {
      await database.close();
    }
  });

  it('answers 503 once the embedded database is closed', async () => {
    const testDb = await openTestDatabase('pglite');
    const { app } = buildTestApp(testDb.database);
    await request(app).post('/v1/events').send({ events: [decisionEvent()] }).expect(202);
    await testDb.drop();
    const response = await request(app).post('/v1/events').send({ events: [decisionEvent()] }).expect(503);
    expect(response.body.error.code).toBe('database_unavailable');
    await request(app).get('/ready').expect(503);
  });
});
