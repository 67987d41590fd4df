import express from 'express';
import request from 'supertest';
import { createServiceApp } from '../http/create-service-app';
import { createReadiness } from '../http/readiness';
import { propagatedHeaders, REQUEST_ID_HEADER } from '../http/request-id';
import { createMetricsRegistry } from '../metrics';
import { silentLogger } from './support/silent-logger';

function buildApp() {
  const routes = express.Router();
  routes.get('/whoami', (req, res) => {
    res.json({ requestId: req.requestId });
  });
  return createServiceApp({
    service: 'test',
    logger: silentLogger(),
    registry: createMetricsRegistry({ service: 'test', processMetrics: false }),
    readiness: createReadiness(),
    routes,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('x-request-id', () => {
  it('keeps the id the caller sent and echoes it', async () => {
    const response = await request(buildApp()).get('/whoami').set(REQUEST_ID_HEADER, 'abc-123.def:4_5').expect(200);
    expect(response.headers[REQUEST_ID_HEADER]).toBe('abc-123.def:4_5');
    expect(response.body.requestId).toBe('abc-123.def:4_5');
  });

  it('generates a UUID when the caller sent none', async () => {
    const response = await request(buildApp()).get('/whoami').expect(200);
    expect(response.headers[REQUEST_ID_HEADER]).toMatch(UUID);
    expect(response.body.requestId).toBe(response.headers[REQUEST_ID_HEADER]);
  });

  it.each([['has spaces in it'], ['x'.repeat(129)], ['<script>']])('replaces an unusable id (%s)', async (sent) => {
    const response = await request(buildApp()).get('/whoami').set(REQUEST_ID_HEADER, sent).expect(200);
    expect(response.headers[REQUEST_ID_HEADER]).toMatch(UUID);
  });

  it('puts the id on error responses too', async () => {
    const response = await request(buildApp()).get('/missing').set(REQUEST_ID_HEADER, 'trace-1').expect(404);
    expect(response.headers[REQUEST_ID_HEADER]).toBe('trace-1');
  });

  it('builds headers that carry the id to the next service', () => {
    expect(propagatedHeaders('trace-1', { 'content-type': 'application/json' })).toEqual({
      'content-type': 'application/json',
      'x-request-id': 'trace-1',
    });
  });
});
