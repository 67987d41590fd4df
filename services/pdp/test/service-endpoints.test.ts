import request from 'supertest';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, EXPIRED_API_KEY, REVOKED_API_KEY, TEST_API_KEY, testPdp } from './support/test-app';

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

  it('/health?bundles stays 200 with the last error while the last good bundle stays in force, as OPA does', async () => {
    const { app, bundles } = testPdp();
    bundles.fail('GET https://bundles.example/b.tar.gz: HTTP 500');
    const res = await request(app).get('/health?bundles');
    expect(res.status).toBe(200);
    expect(res.body.bundle).toMatchObject({ active_revision: 'rev-1', last_error: { message: 'GET https://bundles.example/b.tar.gz: HTTP 500' } });
    expect((await request(app).get('/ready')).status).toBe(200);
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
        '/access/v1/evaluation', '/access/v1/evaluations', '/authorize', '/api/v1/gateway/authorize', '/api/v1/gateway/authorize-a2a',
        '/api/v1/gateway/servers', '/api/v1/gateway/tools',
      ]),
    );
    const authorize = res.body.paths['/v1/authorize'].post;
    expect(authorize.requestBody.content['application/json'].schema.properties.sensitivity_level.enum).toEqual(['low', 'medium', 'high', 'critical']);
    expect(authorize.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['allow', 'decision_id', 'revision']));
    expect(Object.keys(res.body.paths['/v1/data/{path}'])).toEqual(expect.arrayContaining(['get', 'post']));
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

  it('counts failed-closed decisions as error and undefined ones as undefined', async () => {
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    await request(failing.app).post('/v1/authorize').send({ tool_name: 'echo', principal: ALICE });
    expect((await request(failing.app).get('/metrics')).text).toMatch(/pdp_decisions_total\{entrypoint="mcp\/gateway\/decision",result="error",service="pdp"\} 1/);
    const missing = testPdp({ bundle: null });
    await request(missing.app).post('/v1/authorize-a2a').send({ source_agent_id: 'a', target_agent_id: 'b', capability: 'query' });
    expect((await request(missing.app).get('/metrics')).text).toMatch(/pdp_decisions_total\{entrypoint="mcp\/a2a\/decision",result="error",service="pdp"\} 1/);
    const undefinedDecision = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => undefined })) });
    await request(undefinedDecision.app).post('/v1/authorize').send({ tool_name: 'echo', principal: ALICE });
    expect((await request(undefinedDecision.app).get('/metrics')).text).toMatch(/pdp_decisions_total\{entrypoint="mcp\/gateway\/decision",result="undefined",service="pdp"\} 1/);
  });

  it('answers an oversized body with 413 on the express path too', async () => {
    const { app } = testPdp({ settings: { maxBodyBytes: 2048 } });
    const big = JSON.stringify({ tool_name: 'echo', principal: ALICE, parameters: { text: 'x'.repeat(4096) } });
    const res = await request(app).post('/v1/authorize').set('content-type', 'application/vnd.mcp+json').send(big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
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

describe('API keys on every decision endpoint and alias', () => {
  const POSTS = [
    '/v1/authorize', '/api/v1/gateway/authorize', '/v1/authorize-a2a', '/api/v1/gateway/authorize-a2a', '/v1/authorize/batch',
    '/v1/data', '/v1/data/mcp/gateway/decision', '/access/v1/evaluation', '/access/v1/evaluations', '/authorize',
  ];
  const GETS = ['/v1/servers', '/api/v1/gateway/servers', '/v1/tools', '/api/v1/gateway/tools', '/v1/data/mcp/gateway/decision'];
  // The fast path takes plain JSON; another media type goes through express: both must refuse alike.
  const MEDIA_TYPES = ['application/json', 'application/vnd.mcp+json'];

  it.each([
    ['no key', undefined, 'missing API key'],
    ['an unknown key', 'mcpz_unknown', 'invalid API key'],
    ['an expired key', EXPIRED_API_KEY, 'API key expired'],
    ['a revoked key', REVOKED_API_KEY, 'API key revoked'],
  ])('answers 401 with a JSON error to %s', async (_case, key, message) => {
    const { app, recorded } = testPdp({ withApiKeys: true });
    const refused = async (call: request.Test) => {
      const res = await (key === undefined ? call : call.set('authorization', `Bearer ${key}`));
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining(message) });
    };
    for (const path of POSTS) {
      for (const type of MEDIA_TYPES) await refused(request(app).post(path).set('content-type', type).send(JSON.stringify({ principal: ALICE })));
    }
    for (const path of GETS) await refused(request(app).get(path).set('x-principal', JSON.stringify(ALICE)));
    expect(recorded).toHaveLength(0);
  });
});
