import request from 'supertest';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, CAROL, TEST_API_KEY, testPdp } from './support/test-app';

const echo = { action: 'tools/call', server_name: 'everything', tool_name: 'echo' };
const getEnv = { action: 'tools/call', server_name: 'everything', tool_name: 'get-env' };

describe('POST /v1/authorize', () => {
  it('allows what the policy allows and answers with the full decision', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, parameters: { text: 'hi', password: 'p' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      allow: true,
      reason: 'echo is public',
      reasons: ['echo is public'],
      filtered_parameters: { text: 'hi' },
      cache_ttl: 60,
      revision: 'rev-1',
    });
    expect(res.body.decision_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.audit_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['server-timing']).toMatch(/^decision;dur=\d+\.\d{3}$/);
  });

  it('denies with the policy reason', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize').send({ ...getEnv, principal: ALICE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allow: false, reason: 'alice may not tools/call', cache_ttl: 0 });
  });

  it('puts the pinned tool definition into the policy input as resource.definition_hash/_changed', async () => {
    const seen: unknown[] = [];
    const engine = fakeEngine();
    const evaluate = engine.evaluate.bind(engine);
    engine.evaluate = (path, input, options) => (seen.push(input), evaluate(path, input, options));
    const { app } = testPdp({ bundle: activeBundle(engine) });
    const res = await request(app)
      .post('/v1/authorize')
      .send({ ...echo, principal: ALICE, definition_hash: 'sha256:abc', definition_changed: true });
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({ resource: { server: 'everything', tool: 'echo', definition_hash: 'sha256:abc', definition_changed: true } });
  });

  it('maps resources, prompts, sensitivity and gateway metadata into the policy input and the audit record', async () => {
    const seen: unknown[] = [];
    const engine = fakeEngine();
    const evaluate = engine.evaluate.bind(engine);
    engine.evaluate = (path, input, options) => (seen.push(input), evaluate(path, input, options));
    const { app, recorded } = testPdp({ bundle: activeBundle(engine) });
    await request(app)
      .post('/v1/authorize')
      .send({ action: 'resources/read', server_name: 'files', resource_uri: 'file:///etc/hosts', sensitivity_level: 'high', gateway_metadata: { gateway: 'gw-1' }, principal: ALICE });
    await request(app).post('/v1/authorize').send({ action: 'prompts/get', server_name: 'files', prompt_name: 'summarise', principal: ALICE });
    expect(seen).toEqual([
      {
        principal: ALICE,
        action: 'resources/read',
        resource: { server: 'files', uri: 'file:///etc/hosts', sensitivity: 'high' },
        context: {},
        gateway_metadata: { gateway: 'gw-1' },
      },
      { principal: ALICE, action: 'prompts/get', resource: { server: 'files', prompt: 'summarise' }, context: {} },
    ]);
    expect(recorded[0]).toMatchObject({ action: 'resources/read', server: 'files', uri: 'file:///etc/hosts' });
    expect(recorded[1]).toMatchObject({ action: 'prompts/get', server: 'files', prompt: 'summarise' });
  });

  it('answers on the SARK alias and maps SARK actions to MCP methods', async () => {
    const { app } = testPdp();
    const res = await request(app)
      .post('/api/v1/gateway/authorize')
      .send({ action: 'gateway:tool:invoke', server_name: 'everything', tool_name: 'echo', principal: ALICE });
    expect(res.body.allow).toBe(true);
    const denied = await request(app)
      .post('/api/v1/gateway/authorize')
      .send({ action: 'gateway:tool:invoke', server_name: 'everything', tool_name: 'get-env', principal: ALICE });
    expect(denied.body).toMatchObject({ allow: false, reason: 'alice may not tools/call', revision: 'rev-1' });
    const invalid = await request(app).post('/api/v1/gateway/authorize').send({ tool_name: 'echo', principal: ALICE, sensitivity_level: 'extreme' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe('sensitivity_level');
    const missing = testPdp({ bundle: null });
    const none = await request(missing.app).post('/api/v1/gateway/authorize').send({ tool_name: 'echo', principal: CAROL });
    expect(none.body).toMatchObject({ allow: false, reason: 'no policy bundle is active' });
  });

  it('rejects invalid requests with 400 invalid_request naming each field', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: { type: 'robot' }, sensitivity_level: 'extreme' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const paths = res.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['principal.id', 'principal.type', 'sensitivity_level']));
  });

  it('requires a principal or a subject token, and not both', async () => {
    const { app } = testPdp();
    const none = await request(app).post('/v1/authorize').send(echo);
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ path: 'principal', message: 'give principal or subject_token' }]);
    const both = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, subject_token: 'x.y.z' });
    expect(both.status).toBe(400);
    expect(both.body.error.details[0].path).toBe('subject_token');
  });

  it('rejects two items at once', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize').send({ ...echo, prompt_name: 'p', principal: ALICE });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('prompt_name');
  });

  it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
    const { app } = testPdp({ settings: { maxBodyBytes: 2048 } });
    const malformed = await request(app).post('/v1/authorize').set('content-type', 'application/json').send('{"action":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const big = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, parameters: { text: 'x'.repeat(4096) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('refuses callers without a valid API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    const missing = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const wrong = await request(app).post('/v1/authorize').set('Authorization', 'Bearer mcpz_wrong').send({ ...echo, principal: ALICE });
    expect(wrong.status).toBe(401);
    const good = await request(app).post('/v1/authorize').set('X-API-Key', TEST_API_KEY).send({ ...echo, principal: ALICE });
    expect(good.status).toBe(200);
    expect(good.body.allow).toBe(true);
  });

  it('puts the principal in the API key tenant and records the decision for the audit service', async () => {
    const engine = fakeEngine();
    const seen: unknown[] = [];
    const evaluate = engine.evaluate;
    engine.evaluate = (path, input, options) => {
      seen.push(input);
      return evaluate(path, input, options);
    };
    const { app, recorded } = testPdp({ withApiKeys: true, bundle: activeBundle(engine) });
    const res = await request(app)
      .post('/v1/authorize')
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('x-request-id', 'req-42')
      .send({ ...echo, principal: ALICE, parameters: { password: 'hunter2' }, context: { session_id: 's-1' } });
    expect(seen[0]).toMatchObject({ principal: { id: 'alice', tenant: 'acme' }, action: 'tools/call', resource: { server: 'everything', tool: 'echo' }, context: { session_id: 's-1' } });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      event_id: res.body.audit_id,
      event_type: 'decision',
      tenant: 'acme',
      decision: 'allow',
      principal: { id: 'alice', type: 'user' },
      action: 'tools/call',
      server: 'everything',
      tool: 'echo',
      revision: 'rev-1',
      decision_id: res.body.decision_id,
      request_id: 'req-42',
      session_id: 's-1',
    });
    expect(JSON.stringify(recorded[0])).not.toContain('hunter2');
  });

  it('explains which rules produced the decision when asked', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, explain: true });
    expect(res.body.explanation).toEqual([{ rule: 'data.mcp.gateway.decision', location: 'fake.rego:1' }]);
    const plain = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    expect(plain.body.explanation).toBeUndefined();
  });
});

describe('failing closed', () => {
  const cases: [string, () => unknown, string][] = [
    ['the engine throws', () => { throw Object.assign(new Error('conflict at gateway.rego:12'), { code: 'eval_conflict_error' }); }, 'policy evaluation failed (eval_conflict_error)'],
    ['evaluation times out', () => { throw Object.assign(new Error('deadline'), { code: 'eval_cancel_error' }); }, 'policy evaluation timed out'],
    ['the decision is undefined', () => undefined, 'the policy produced no decision'],
    ['allow is not a boolean', () => ({ allow: 'yes', reasons: [] }), 'the policy produced a malformed decision'],
    ['the decision is not an object', () => [true], 'the policy produced a malformed decision'],
  ];

  it.each(cases)('denies when %s', async (_name, evaluate, reason) => {
    const { app, recorded } = testPdp({ bundle: activeBundle(fakeEngine({ evaluate })) });
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: CAROL });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allow: false, reason, reasons: [reason], cache_ttl: 0, revision: 'rev-1' });
    expect(recorded[0]).toMatchObject({ decision: 'deny', reason });
  });

  it('never leaks the engine error message', async () => {
    const evaluate = () => {
      throw new Error('secret detail at /etc/policies/gateway.rego:12');
    };
    const { app } = testPdp({ bundle: activeBundle(fakeEngine({ evaluate })) });
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: CAROL });
    expect(res.body.reason).toBe('policy evaluation failed');
  });

  it('denies every question while no bundle is active', async () => {
    const { app } = testPdp({ bundle: null });
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: CAROL });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allow: false, reason: 'no policy bundle is active', revision: null });
  });

  it('ignores a policy cache_ttl on a denial', async () => {
    const evaluate = () => ({ allow: false, reasons: ['no'], cache_ttl: 600 });
    const { app } = testPdp({ bundle: activeBundle(fakeEngine({ evaluate })) });
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: CAROL });
    expect(res.body.cache_ttl).toBe(0);
  });
});
