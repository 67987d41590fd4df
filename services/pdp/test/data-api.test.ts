import request from 'supertest';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, CAROL, TEST_API_KEY, testPdp } from './support/test-app';

const input = { principal: CAROL, action: 'tools/call', resource: { server: 'everything', tool: 'get-env' } };

describe('OPA data API', () => {
  it('POST returns the document with a decision id', async () => {
    const { app, recorded } = testPdp();
    const res = await request(app).post('/v1/data/mcp/gateway/decision').send({ input });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: { allow: true, reasons: ['admin may do anything'], cache_ttl: 60 }, decision_id: expect.any(String) });
    expect(recorded[0]).toMatchObject({ decision: 'allow', decision_id: res.body.decision_id, payload: { path: 'mcp/gateway/decision' } });
  });

  it('POST returns a denial as the document says it, recorded as deny', async () => {
    const { app, recorded } = testPdp();
    const res = await request(app).post('/v1/data/mcp/gateway/decision').send({ input: { ...input, principal: ALICE } });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual({ allow: false, reasons: ['alice may not tools/call'], cache_ttl: 0 });
    expect(recorded[0]).toMatchObject({ decision: 'deny', decision_id: res.body.decision_id });
  });

  it('POST rejects a body that is not an object', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/data/mcp/gateway/decision').send([{ input }]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('answers {} when the document is undefined', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/data/mcp/nothing/here').send({ input });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it('GET takes the input as a JSON query parameter', async () => {
    const { app } = testPdp();
    const res = await request(app).get('/v1/data/mcp/gateway/decision').query({ input: JSON.stringify(input) });
    expect(res.body.result.allow).toBe(true);
    const withoutInput = await request(app).get('/v1/data/mcp_config/servers');
    expect(withoutInput.body.result).toEqual({ everything: {} });
    const bad = await request(app).get('/v1/data/mcp/gateway/decision').query({ input: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'input', message: 'expected a JSON document' }] });
  });

  it('explains with ?explain=full and reports metrics with ?metrics', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/data/mcp/gateway/decision?explain=full&metrics=true').send({ input });
    expect(res.body.explanation).toEqual([{ rule: 'data.mcp.gateway.decision', location: 'fake.rego:1' }]);
    expect(res.body.metrics.timer_rego_query_eval_ns).toBeGreaterThanOrEqual(0);
  });

  it('rejects an unknown explain mode', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/data/mcp/gateway/decision?explain=everything').send({ input });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('explain');
  });

  it('answers engine failures with a JSON 500 and a missing bundle with a JSON 503', async () => {
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw Object.assign(new Error('x'), { code: 'eval_type_error' }); } })) });
    const failed = await request(failing.app).post('/v1/data/mcp/gateway/decision').send({ input });
    expect(failed.status).toBe(500);
    expect(failed.body.error).toEqual({ code: 'evaluation_error', message: 'policy evaluation failed (eval_type_error)', details: [] });
    const missing = testPdp({ bundle: null });
    const none = await request(missing.app).post('/v1/data/mcp/gateway/decision').send({ input });
    expect(none.status).toBe(503);
    expect(none.body.error.code).toBe('no_bundle');
  });

  it('GET answers engine failures with a JSON 500 and a missing bundle with a JSON 503', async () => {
    const query = { input: JSON.stringify(input) };
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    const failed = await request(failing.app).get('/v1/data/mcp/gateway/decision').query(query);
    expect(failed.status).toBe(500);
    expect(failed.body.error).toEqual({ code: 'evaluation_error', message: 'policy evaluation failed', details: [] });
    const missing = testPdp({ bundle: null });
    const none = await request(missing.app).get('/v1/data/mcp/gateway/decision').query(query);
    expect(none.status).toBe(503);
    expect(none.body.error).toMatchObject({ code: 'no_bundle', message: 'no policy bundle is active' });
  });

  it('GET returns a denial and {} for an undefined document', async () => {
    const { app } = testPdp();
    const denied = await request(app).get('/v1/data/mcp/gateway/decision').query({ input: JSON.stringify({ ...input, principal: ALICE }) });
    expect(denied.body.result.allow).toBe(false);
    const undefinedDocument = await request(app).get('/v1/data/mcp/nothing/here').query({ input: JSON.stringify(input) });
    expect(undefinedDocument.status).toBe(200);
    expect(undefinedDocument.body).toEqual({});
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    expect((await request(app).post('/v1/data/mcp/gateway/decision').send({ input })).status).toBe(401);
    expect((await request(app).post('/v1/data/mcp/gateway/decision').set('x-api-key', TEST_API_KEY).send({ input })).status).toBe(200);
    const query = { input: JSON.stringify(input) };
    expect((await request(app).get('/v1/data/mcp/gateway/decision').query(query)).status).toBe(401);
    expect((await request(app).get('/v1/data/mcp/gateway/decision').query(query).set('x-api-key', TEST_API_KEY)).body.result.allow).toBe(true);
  });
});
