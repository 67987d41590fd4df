import request from 'supertest';
import { TEST_API_KEY, testPdp } from './support/test-app';

describe('health, readiness, metrics and OpenAPI', () => {
  it('/health?bundles answers 200 once a bundle is active', async () => {
    const { app } = testPdp();
    const res = await request(app).get('/health?bundles');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', bundle: { active_revision: 'rev-1', activated_at: '2026-01-01T00:00:00.000Z', last_error: null } });
  });

  it('/health?bundles answers 500 with a JSON error while no bundle is active; plain /health stays 200', async () => {
    const { app, bundles } = testPdp({ bundle: null });
    bundles.fail('bundle.tar.gz: signature does not verify');
    const res = await request(app).get('/health?bundles');
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({
      code: 'bundle_not_activated',
      message: 'no policy bundle has been activated',
      details: [{ path: 'bundle', message: 'bundle.tar.gz: signature does not verify' }],
    });
    expect((await request(app).get('/health')).status).toBe(200);
    const ready = await request(app).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.components.bundle).toEqual({ ready: false, detail: 'bundle.tar.gz: signature does not verify' });
  });

  it('/health, /ready, /metrics and /openapi.json need no API key', async () => {
    const { app } = testPdp({ withApiKeys: true });
    for (const path of ['/health', '/health?bundles', '/ready', '/metrics', '/openapi.json']) {
      expect((await request(app).get(path)).status).toBe(200);
    }
    expect((await request(app).get('/v1/data').set('x-api-key', TEST_API_KEY)).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document generated from the request and response schemas', async () => {
    const { app } = testPdp();
    const res = await request(app).get('/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/authorize', '/v1/authorize-a2a', '/v1/authorize/batch', '/v1/servers', '/v1/tools', '/v1/data/{path}',
        '/access/v1/evaluation', '/access/v1/evaluations', '/authorize', '/api/v1/gateway/authorize', '/api/v1/gateway/tools',
      ]),
    );
    const authorize = res.body.paths['/v1/authorize'].post;
    expect(authorize.requestBody.content['application/json'].schema.properties.sensitivity_level.enum).toEqual(['low', 'medium', 'high', 'critical']);
    expect(authorize.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['allow', 'decision_id', 'revision']));
    expect(res.body.paths['/v1/tools'].get.parameters.map((parameter: { name: string }) => parameter.name)).toContain('server_name');
  });

  it('exports decision metrics and the bundle revision', async () => {
    const { app } = testPdp();
    await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo', principal: { id: 'alice' } });
    await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'get-env', principal: { id: 'alice' } });
    const text = (await request(app).get('/metrics')).text;
    expect(text).toMatch(/pdp_decisions_total\{entrypoint="mcp\/gateway\/decision",result="allow",service="pdp"\} 1/);
    expect(text).toMatch(/pdp_decisions_total\{entrypoint="mcp\/gateway\/decision",result="deny",service="pdp"\} 1/);
    expect(text).toMatch(/pdp_decision_duration_seconds_count\{service="pdp",entrypoint="mcp\/gateway\/decision"\} 2/);
    expect(text).toMatch(/pdp_bundle_info\{revision="rev-1",engine="native",source="test",service="pdp"\} 1/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/nothing').send({});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('HTTP metrics', () => {
  it('label each alias by its own route pattern', async () => {
    const { app } = testPdp();
    await request(app).post('/api/v1/gateway/authorize').send({ tool_name: 'echo', principal: { id: 'alice' } });
    await request(app).post('/v1/data/mcp/gateway/decision').send({ input: { principal: { id: 'alice' } } });
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('http_requests_total{method="POST",route="/api/v1/gateway/authorize",status="200",service="pdp"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/v1/data/*path",status="200",service="pdp"} 1');
  });
});
