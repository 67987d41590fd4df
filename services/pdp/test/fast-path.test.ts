import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
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

  it('settles a request whose client hangs up in the middle of the body', async () => {
    const { app } = testPdp();
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('POST /v1/authorize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tool_name":');
      socket.destroy();
      let counted = false;
      for (let attempt = 0; attempt < 100 && !counted; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const text = (await request(app).get('/metrics')).text;
        counted = text.includes('http_requests_total{method="POST",route="/v1/authorize",status="400",service="pdp"} 1');
      }
      expect(counted).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
