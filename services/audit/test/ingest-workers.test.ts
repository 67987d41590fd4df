import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createLogger } from '../../common';
import type { BatchPreparer } from '../ingest/batch-preparer';
import { createPreparationWorkers, spawnPreparationWorker } from '../ingest/preparation-workers';
import { decisionEvent } from './support/audit-events';
import { buildTestApp, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const KEY = 'acme-producer-key';
const bearer = { authorization: `Bearer ${KEY}` };
const logger = createLogger({ service: 'audit-test', level: 'silent' });

/** What a client can send wrong, with the answer express.json and the schema gave before bodies were read as bytes. */
const BAD_REQUESTS: { name: string; status: number; code: string; send: (test: request.Test) => request.Test }[] = [
  { name: 'a schema-invalid event', status: 400, code: 'invalid_request', send: (test) => test.send({ events: [decisionEvent(), { ...decisionEvent(), event_id: 'x', decision: 'maybe', surprise: 1 }] }) },
  { name: 'a time preparation refuses', status: 400, code: 'invalid_request', send: (test) => test.send({ events: [decisionEvent({ occurred_at: '2999-01-01T00:00:00Z' })] }) },
  { name: 'a lone surrogate', status: 400, code: 'invalid_request', send: (test) => test.send({ events: [decisionEvent({ reason: 'half a pair: \ud83d' })] }) },
  { name: 'no events', status: 400, code: 'invalid_request', send: (test) => test.send({ events: [] }) },
  { name: 'a body that is not JSON', status: 400, code: 'invalid_json', send: (test) => test.set('content-type', 'application/json').send('{"events": [') },
  { name: 'JSON that is not an object', status: 400, code: 'invalid_json', send: (test) => test.set('content-type', 'application/json').send('"events"') },
  { name: 'JSON nested too deep', status: 400, code: 'invalid_request', send: (test) => test.send({ events: [decisionEvent({ payload: nested(600) })] }) },
  { name: 'no JSON content type', status: 400, code: 'invalid_request', send: (test) => test.set('content-type', 'text/plain').send('{"events": []}') },
  { name: 'an unsupported charset', status: 415, code: 'unsupported_encoding', send: (test) => test.set('content-type', 'application/json; charset=latin1').send('{"events": []}') },
  { name: "another tenant's event", status: 403, code: 'forbidden', send: (test) => test.set(bearer).send({ events: [decisionEvent({ tenant: 'globex' })] }) },
];

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
}

describe('audit ingest with preparation workers', () => {
  let testDb: TestDatabase;
  let inline: TestApp;
  let pooled: TestApp;
  let preparer: BatchPreparer;
  const threads: Worker[] = [];

  beforeAll(async () => {
    testDb = await openTestDatabase('pglite');
    const spawn = (redactKeys: readonly string[]) => {
      const worker = spawnPreparationWorker(redactKeys);
      threads.push(worker);
      return worker;
    };
    preparer = createPreparationWorkers({ workers: 1, redactKeys: ['ssn'], logger, spawn });
    const apiKeys = { [KEY]: 'acme' };
    inline = buildTestApp(testDb.database, { apiKeys, redactKeys: ['ssn'] });
    pooled = buildTestApp(testDb.database, { apiKeys, redactKeys: ['ssn'], preparer });
  });
  afterAll(async () => {
    await preparer.close();
    await testDb.drop();
  });

  it('stores a batch prepared in a worker, redacted with the configured keys, and a retried batch adds nothing', async () => {
    const events = [decisionEvent({ payload: { ssn: '123-45-6789', path: '/tmp/a' } }), decisionEvent()];
    delete events[1]!.tenant;
    const first = await request(pooled.app).post('/v1/events').set(bearer).send({ events }).expect(202);
    expect(first.body).toEqual({ accepted: 2, duplicates: 0 });
    const retry = await request(pooled.app).post('/v1/events').set(bearer).send({ events }).expect(202);
    expect(retry.body).toEqual({ accepted: 0, duplicates: 2 });

    const stored = await request(pooled.app).get(`/v1/events/${events[0]!.event_id}`).set(bearer).expect(200);
    expect(stored.body.payload).toEqual({ ssn: '[REDACTED]', path: '/tmp/a' });
    const scoped = await request(pooled.app).get(`/v1/events/${events[1]!.event_id}`).set(bearer).expect(200);
    expect(scoped.body.tenant).toBe('acme');
    expect((await request(pooled.app).get('/v1/verify').set(bearer).query({ tenant: 'acme' }).expect(200)).body.ok).toBe(true);
  });

  it('takes gzipped, UTF-16 and byte-order-marked bodies', async () => {
    // supertest's client re-encodes a Buffer body it is given; a real server and fetch send it as it is.
    const server = pooled.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const post = async (headers: Record<string, string>, body: Buffer) => {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/events`, { method: 'POST', headers: { ...bearer, ...headers }, body });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    try {
      const gzipped = gzipSync(Buffer.from(JSON.stringify({ events: [decisionEvent({ tenant: 'acme' })] })));
      expect(await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipped)).toEqual({ status: 202, body: { accepted: 1, duplicates: 0 } });
      const utf16 = decisionEvent({ tenant: 'acme', reason: 'naïve ✓' });
      const encoded = Buffer.from(JSON.stringify({ events: [utf16] }), 'utf16le');
      expect(await post({ 'content-type': 'application/json; charset=utf-16le' }, encoded)).toEqual({ status: 202, body: { accepted: 1, duplicates: 0 } });
      const stored = await request(pooled.app).get(`/v1/events/${utf16.event_id}`).set(bearer).expect(200);
      expect(stored.body.reason).toBe('naïve ✓');
      const marked = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ events: [decisionEvent({ tenant: 'acme' })] }))]);
      expect(await post({ 'content-type': 'application/json; charset=UTF-8' }, marked)).toEqual({ status: 202, body: { accepted: 1, duplicates: 0 } });
    } finally {
      server.close();
    }
  });

  it.each(BAD_REQUESTS)('answers $name with $status $code, exactly as preparation on the event loop does', async ({ send, status, code }) => {
    const [onLoop, inWorker] = await Promise.all([send(request(inline.app).post('/v1/events').set(bearer)), send(request(pooled.app).post('/v1/events').set(bearer))]);
    expect({ status: inWorker.status, code: inWorker.body.error?.code }).toEqual({ status, code });
    expect({ status: inWorker.status, error: inWorker.body.error }).toEqual({ status: onLoop.status, error: onLoop.body.error });
  });

  it('fails the batches of a worker that dies, and prepares the next batch in a new worker', async () => {
    const started = threads.length;
    const lost = Array.from({ length: 1000 }, () => decisionEvent({ tenant: 'acme' }));
    // 1000 events take the worker tens of milliseconds: it is stopped long before it can answer.
    const preparing = preparer.prepare({ bytes: Buffer.from(JSON.stringify({ events: lost })), charset: undefined, scope: undefined });
    await threads[started - 1]!.terminate();
    await expect(preparing).rejects.toThrow(/exited .* before it prepared the batch/);

    const next = [decisionEvent({ tenant: 'acme' })];
    await request(pooled.app).post('/v1/events').set(bearer).send({ events: next }).expect(202, { accepted: 1, duplicates: 0 });
    expect(threads).toHaveLength(started + 1);
  });

  it('refuses work once closed', async () => {
    const closing = createPreparationWorkers({ workers: 1, redactKeys: [], logger });
    await closing.close();
    await expect(closing.prepare({ bytes: Buffer.from('{"events": []}'), charset: undefined, scope: undefined })).rejects.toThrow(/closed/);
  });
});
