import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { errorBodySchema } from '../contracts/error-body';
import { readyBodySchema } from '../contracts/health';
import { createServiceApp, type ServiceAppOptions } from '../http/create-service-app';
import { badRequest, HttpError } from '../http/http-error';
import { MAX_JSON_NESTING, refuseDeepJson } from '../http/json-nesting';
import { parseJsonBody } from '../http/read-body-text';
import { createReadiness, type Readiness } from '../http/readiness';
import { parseRequest } from '../http/validation-details';
import { createMetricsRegistry } from '../metrics';
import { silentLogger } from './support/silent-logger';

function buildApp(overrides: Partial<ServiceAppOptions> = {}) {
  const routes = express.Router();
  routes.post('/echo', (req, res) => {
    res.json({ received: req.body });
  });
  routes.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  routes.get('/teapot', () => {
    throw new HttpError(418, 'teapot', 'short and stout', [{ path: 'spout', message: 'too short' }]);
  });
  routes.post('/validated', (req, res) => {
    const body = parseRequest(z.object({ name: z.string(), count: z.number().int() }), req.body);
    res.json(body);
  });
  routes.get('/bad', () => {
    throw badRequest('nope');
  });
  const readiness = overrides.readiness ?? createReadiness();
  return createServiceApp({
    service: 'test',
    logger: silentLogger(),
    registry: createMetricsRegistry({ service: 'test' }),
    readiness,
    routes,
    ...overrides,
  });
}

function expectErrorBody(body: unknown, code: string): void {
  const parsed = errorBodySchema.parse(body);
  expect(parsed.error.code).toBe(code);
}

describe('service app: health, readiness, metrics', () => {
  it('answers /health with the service name', async () => {
    const response = await request(buildApp()).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', service: 'test' });
  });

  it('is ready when every registered component is ready, and lists them', async () => {
    const readiness = createReadiness();
    readiness.set('bundle', { ready: true, detail: 'revision r1' });
    readiness.register('database', async () => true);
    const response = await request(buildApp({ readiness })).get('/ready').expect(200);
    expect(readyBodySchema.parse(response.body)).toEqual({
      status: 'ready',
      service: 'test',
      components: { bundle: { ready: true, detail: 'revision r1' }, database: { ready: true } },
    });
  });

  it('answers 503 while a component is not ready or its check fails', async () => {
    const readiness: Readiness = createReadiness();
    readiness.set('bundle', true);
    readiness.register('database', () => {
      throw new Error('connection refused');
    });
    const response = await request(buildApp({ readiness })).get('/ready').expect(503);
    expect(response.body.status).toBe('not_ready');
    expect(response.body.components.database).toEqual({ ready: false, detail: 'connection refused' });
  });

  it('answers 503 shutting_down once shutdown has begun', async () => {
    const readiness = createReadiness();
    const app = buildApp({ readiness });
    await request(app).get('/ready').expect(200);
    readiness.markShuttingDown();
    const response = await request(app).get('/ready').expect(503);
    expect(response.body.status).toBe('shutting_down');
  });

  it('exposes Prometheus text with process and HTTP metrics, per app', async () => {
    const app = buildApp();
    const other = buildApp();
    await request(app).get('/health');
    await request(app).get('/teapot');
    const response = await request(app).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('process_cpu_user_seconds_total{service="test"}');
    expect(response.text).toMatch(/http_requests_total\{method="GET",route="\/teapot",status="418",service="test"\} 1/);
    const otherMetrics = await request(other).get('/metrics');
    expect(otherMetrics.text).not.toContain('route="/teapot"');
  });
});

describe('service app: JSON bodies and errors', () => {
  it('parses JSON bodies', async () => {
    const response = await request(buildApp()).post('/echo').send({ a: [1, 2] }).expect(200);
    expect(response.body).toEqual({ received: { a: [1, 2] } });
  });

  it('answers 404 with a JSON error for unknown routes', async () => {
    const response = await request(buildApp()).get('/nowhere').expect(404);
    expectErrorBody(response.body, 'not_found');
  });

  it('answers 413 with a JSON error when the body is over the limit', async () => {
    const app = buildApp({ jsonLimit: 1024 });
    const response = await request(app).post('/echo').set('content-type', 'application/json').send(JSON.stringify({ text: 'x'.repeat(2000) })).expect(413);
    expectErrorBody(response.body, 'payload_too_large');
  });

  it('answers 400 with a JSON error on malformed JSON', async () => {
    const response = await request(buildApp()).post('/echo').set('content-type', 'application/json').send('{"a": ').expect(400);
    expectErrorBody(response.body, 'invalid_json');
  });

  it('answers 400 with a JSON error when the body cannot be decoded', async () => {
    const response = await request(buildApp()).post('/echo').set('content-type', 'application/json').set('content-encoding', 'gzip').send('not gzip').expect(400);
    expectErrorBody(response.body, 'unreadable_body');
  });

  it('refuses JSON nested deeper than the limit with 400 naming it, and takes it up to the limit', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const app = buildApp({ jsonLimit: '1mb' });
    const refused = await request(app).post('/echo').set('content-type', 'application/json').send(nested(50_000)).expect(400);
    expectErrorBody(refused.body, 'invalid_request');
    expect(refused.body.error.message).toContain(`deeper than ${MAX_JSON_NESTING}`);
    // Brackets inside strings are text, not nesting.
    await request(app).post('/echo').set('content-type', 'application/json').send(JSON.stringify({ text: '['.repeat(5000) })).expect(200);
    await request(app).post('/echo').set('content-type', 'application/json').send(nested(MAX_JSON_NESTING)).expect(200);
  });

  it('answers 500 without the message or a stack trace for unexpected errors', async () => {
    const response = await request(buildApp()).get('/boom').expect(500);
    expect(response.body).toEqual({ error: { code: 'internal', message: 'internal error', details: [] } });
    expect(response.text).not.toContain('hunter2');
    expect(response.text).not.toContain('at ');
  });

  it('passes status, code, message and details of an HttpError', async () => {
    const response = await request(buildApp()).get('/teapot').expect(418);
    expect(response.body).toEqual({ error: { code: 'teapot', message: 'short and stout', details: [{ path: 'spout', message: 'too short' }] } });
    await request(buildApp()).get('/bad').expect(400);
  });

  it('names every invalid field of a request that fails its schema', async () => {
    const response = await request(buildApp()).post('/validated').send({ name: 7, count: 1.5 }).expect(400);
    expectErrorBody(response.body, 'invalid_request');
    expect(response.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['count', 'name']);
  });
});

describe('parseJsonBody (the fast paths)', () => {
  it('refuses nesting deeper than the limit after checking the JSON itself', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    expect(parseJsonBody(nested(MAX_JSON_NESTING))).toBeDefined();
    expect(() => parseJsonBody(nested(MAX_JSON_NESTING + 1))).toThrow(expect.objectContaining({ status: 400, code: 'invalid_request' }));
    expect(() => parseJsonBody('['.repeat(5000))).toThrow(expect.objectContaining({ status: 400, code: 'invalid_json' }));
    expect(() => refuseDeepJson(Buffer.from(JSON.stringify(['"\\' + '['.repeat(3000)])))).not.toThrow();
  });

  it('reads text and bytes alike: brackets in strings (after escaped quotes too) are not nesting, after an escaped backslash they are', () => {
    const deep = '['.repeat(MAX_JSON_NESTING + 1) + ']'.repeat(MAX_JSON_NESTING + 1);
    const inString = JSON.stringify(['a"b\\"' + '['.repeat(3000), 'c']);
    const afterEscapedBackslash = `["x\\\\",${deep}]`;
    for (const read of [(text: string) => text, (text: string) => Buffer.from(text)]) {
      expect(() => refuseDeepJson(read(inString))).not.toThrow();
      expect(() => refuseDeepJson(read(afterEscapedBackslash))).toThrow(expect.objectContaining({ status: 400 }));
      expect(() => refuseDeepJson(read(`["unterminated ${'['.repeat(3000)}`))).not.toThrow();
    }
  });
});
