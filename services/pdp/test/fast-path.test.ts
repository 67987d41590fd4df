import request from 'supertest';
import { ALICE, TEST_API_KEY, testPdp } from './support/test-app';

const echo = { server_name: 'everything', tool_name: 'echo', principal: ALICE };

describe('the fast path and its express fallback answer alike', () => {
  it('echoes a usable x-request-id and makes one otherwise', async () => {
    const { app, recorded } = testPdp();
    const given = await request(app).post('/v1/authorize').set('x-request-id', 'abc-123').send(echo);
    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(recorded[0].request_id).toBe('abc-123');
    const made = await request(app).post('/v1/authorize').set('x-request-id', 'not acceptable!').send(echo);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves other JSON media types, other spellings of the path and form bodies through express', async () => {
    const { app } = testPdp();
    const vendorJson = await request(app).post('/v1/authorize').set('content-type', 'application/vnd.mcp+json').send(JSON.stringify(echo));
    expect(vendorJson.status).toBe(200);
    expect(vendorJson.body.allow).toBe(true);
    const trailing = await request(app).post('/v1/authorize/').send(echo);
    expect(trailing.body.allow).toBe(true);
    const form = await request(app).post('/v1/authorize').type('form').send({ tool_name: 'echo' });
    expect(form.status).toBe(400);
    expect(form.body.error.code).toBe('invalid_request');
  });

  it('refuses an unauthenticated call before reading its body', async () => {
    const { app } = testPdp({ withApiKeys: true });
    const res = await request(app).post('/v1/data/mcp/gateway/decision').send({ input: { big: 'x'.repeat(100_000) } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error.code).toBe('unauthorized');
    const ok = await request(app).post('/v1/data/mcp/gateway/decision').set('x-api-key', TEST_API_KEY).send({ input: { principal: ALICE } });
    expect(ok.status).toBe(200);
  });

  it('rejects JSON that is not an object or array, as express.json does', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize').set('content-type', 'application/json').send('"just a string"');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('decodes data paths', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/data/mcp_config/%73ervers').send({});
    expect(res.body.result).toEqual({ everything: {} });
    const bad = await request(app).post('/v1/data/mcp/%E0%A4%A').send({});
    expect(bad.status).toBe(400);
  });

  it('counts fast-path requests in the HTTP metrics', async () => {
    const { app } = testPdp();
    await request(app).post('/v1/authorize').send(echo);
    await request(app).post('/v1/authorize').send({});
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('http_requests_total{method="POST",route="/v1/authorize",status="200",service="pdp"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/v1/authorize",status="400",service="pdp"} 1');
  });
});
