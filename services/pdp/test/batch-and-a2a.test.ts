import request from 'supertest';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, CAROL, TEST_API_KEY, testPdp } from './support/test-app';

describe('POST /v1/authorize/batch', () => {
  it('answers every question in order, with top-level defaults', async () => {
    const { app, recorded } = testPdp();
    const res = await request(app)
      .post('/v1/authorize/batch')
      .send({
        principal: ALICE,
        requests: [
          { server_name: 'everything', tool_name: 'echo' },
          { server_name: 'everything', tool_name: 'get-env' },
          { server_name: 'everything', tool_name: 'get-env', principal: CAROL },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.results.map((result: { allow: boolean }) => result.allow)).toEqual([true, false, true]);
    expect(recorded.map((event) => event.principal?.id)).toEqual(['alice', 'alice', 'carol']);
  });

  it('takes at most 1000 questions', async () => {
    const { app } = testPdp();
    const question = { server_name: 'everything', tool_name: 'echo' };
    const ok = await request(app).post('/v1/authorize/batch').send({ principal: ALICE, requests: Array(1000).fill(question) });
    expect(ok.status).toBe(200);
    expect(ok.body.results).toHaveLength(1000);
    const tooMany = await request(app).post('/v1/authorize/batch').send({ principal: ALICE, requests: Array(1001).fill(question) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].path).toBe('requests');
  });

  it('names the question that lacks a principal', async () => {
    const { app } = testPdp();
    const res = await request(app)
      .post('/v1/authorize/batch')
      .send({ requests: [{ server_name: 'everything', tool_name: 'echo', principal: ALICE }, { server_name: 'everything', tool_name: 'echo' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'requests.1.principal', message: 'give principal or subject_token (here or at the top level)' }]);
  });

  it('denies every question when the engine fails', async () => {
    const evaluate = () => {
      throw new Error('boom');
    };
    const { app } = testPdp({ bundle: activeBundle(fakeEngine({ evaluate })) });
    const res = await request(app).post('/v1/authorize/batch').send({ principal: CAROL, requests: [{ tool_name: 'a' }, { tool_name: 'b' }] });
    expect(res.body.results.map((result: { allow: boolean }) => result.allow)).toEqual([false, false]);
  });

  it('denies every question while no bundle is active, each with its revision null', async () => {
    const { app, recorded } = testPdp({ bundle: null });
    const res = await request(app).post('/v1/authorize/batch').send({ principal: CAROL, requests: [{ tool_name: 'a' }, { tool_name: 'b' }] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({ allow: false, reason: 'no policy bundle is active', cache_ttl: 0, revision: null }),
      expect.objectContaining({ allow: false, reason: 'no policy bundle is active', cache_ttl: 0, revision: null }),
    ]);
    expect(recorded.map((event) => event.decision)).toEqual(['deny', 'deny']);
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    const res = await request(app).post('/v1/authorize/batch').send({ principal: ALICE, requests: [{ tool_name: 'echo' }] });
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/authorize-a2a', () => {
  const call = { source_agent_id: 'planner-agent', target_agent_id: 'billing-agent', capability: 'execute', message_type: 'task' };

  it('allows and denies by the source agent attributes the caller asserts', async () => {
    const { app, recorded } = testPdp();
    const allowed = await request(app).post('/v1/authorize-a2a').send({ ...call, source_agent: { trust_level: 'trusted' } });
    expect(allowed.body).toMatchObject({ allow: true, reason: 'trusted agent', cache_ttl: 30, revision: 'rev-1' });
    const denied = await request(app).post('/api/v1/gateway/authorize-a2a').send({ ...call, source_agent: { trust_level: 'basic' } });
    expect(denied.body).toMatchObject({ allow: false, reason: 'agent not trusted enough' });
    expect(recorded[0]).toMatchObject({ agent_id: 'planner-agent', action: 'a2a:execute', payload: { target_agent_id: 'billing-agent' } });
  });

  it('builds the policy input from the request', async () => {
    const seen: unknown[] = [];
    const engine = fakeEngine();
    const { app } = testPdp({
      bundle: activeBundle(fakeEngine({ evaluate: (path, input, options) => (seen.push(input), engine.evaluate(path, input, options)) })),
    });
    await request(app)
      .post('/v1/authorize-a2a')
      .send({ ...call, target_environment: 'prod', context: { delegation_depth: 2 }, source_agent: { trust_level: 'trusted', environment: 'dev' } });
    expect(seen[0]).toEqual({
      source_agent: { type: 'agent', trust_level: 'trusted', environment: 'dev', id: 'planner-agent' },
      target_agent: { id: 'billing-agent', environment: 'prod' },
      capability: 'execute',
      message_type: 'task',
      context: { delegation_depth: 2 },
    });
  });

  it('rejects invalid requests', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/v1/authorize-a2a').send({ target_agent_id: '', capability: 'execute', context: { delegation_depth: -1 } });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['target_agent_id', 'context.delegation_depth', 'source_agent_id']));
  });

  it('denies without a bundle and when the engine fails', async () => {
    const noBundle = testPdp({ bundle: null });
    const res = await request(noBundle.app).post('/v1/authorize-a2a').send({ ...call, source_agent: { trust_level: 'trusted' } });
    expect(res.body).toMatchObject({ allow: false, reason: 'no policy bundle is active' });
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    const failed = await request(failing.app).post('/v1/authorize-a2a').send({ ...call, source_agent: { trust_level: 'trusted' } });
    expect(failed.body.allow).toBe(false);
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    expect((await request(app).post('/v1/authorize-a2a').send(call)).status).toBe(401);
    expect((await request(app).post('/v1/authorize-a2a').set('x-api-key', TEST_API_KEY).send(call)).status).toBe(200);
  });
});
