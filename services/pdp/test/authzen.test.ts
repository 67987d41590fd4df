import request from 'supertest';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { TEST_API_KEY, testPdp } from './support/test-app';

const alice = { type: 'user', id: 'alice', properties: { roles: ['developer'] } };
const carol = { type: 'user', id: 'carol', properties: { roles: ['admin'] } };
const callTool = { name: 'tools/call' };
const echo = { type: 'tool', id: 'echo', properties: { server: 'everything' } };
const getEnv = { type: 'tool', id: 'get-env', properties: { server: 'everything' } };

describe('AuthZEN access evaluation', () => {
  it('permits and denies with the reason in the context', async () => {
    const { app } = testPdp();
    const permit = await request(app).post('/access/v1/evaluation').send({ subject: alice, action: callTool, resource: echo });
    expect(permit.status).toBe(200);
    expect(permit.body).toEqual({
      decision: true,
      context: { id: expect.any(String), reason_admin: { en: 'echo is public' }, reasons: ['echo is public'], revision: 'rev-1' },
    });
    const deny = await request(app).post('/access/v1/evaluation').send({ subject: alice, action: callTool, resource: getEnv });
    expect(deny.body.decision).toBe(false);
    expect(deny.body.context.reason_admin.en).toBe('alice may not tools/call');
  });

  it('maps subject, action, resource and parameters onto the gateway input', async () => {
    const seen: unknown[] = [];
    const { app } = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: (_path, input) => (seen.push(input), { allow: true, reasons: [], cache_ttl: 0 }) })) });
    await request(app)
      .post('/access/v1/evaluation')
      .send({ subject: alice, action: { name: 'tools/call', properties: { parameters: { path: '/tmp' } } }, resource: echo, context: { ip: '10.0.0.1' } });
    expect(seen[0]).toEqual({
      principal: { id: 'alice', type: 'user', roles: ['developer'] },
      action: 'tools/call',
      resource: { server: 'everything', tool: 'echo' },
      parameters: { path: '/tmp' },
      context: { ip: '10.0.0.1' },
    });
  });

  it('denies subjects and resources it cannot map', async () => {
    const { app } = testPdp();
    const robot = await request(app).post('/access/v1/evaluation').send({ subject: { type: 'robot', id: 'r2' }, action: callTool, resource: echo });
    expect(robot.body).toMatchObject({ decision: false, context: { reason_admin: { en: 'subject is not a usable principal' } } });
    const spaceship = await request(app).post('/access/v1/evaluation').send({ subject: carol, action: callTool, resource: { type: 'spaceship', id: 'x' } });
    expect(spaceship.body.decision).toBe(false);
  });

  it('rejects invalid requests with 400', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/access/v1/evaluation').send({ subject: alice, resource: echo });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('action');
  });

  it('denies when the engine fails or no bundle is active', async () => {
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    expect((await request(failing.app).post('/access/v1/evaluation').send({ subject: carol, action: callTool, resource: echo })).body.decision).toBe(false);
    const missing = testPdp({ bundle: null });
    expect((await request(missing.app).post('/access/v1/evaluation').send({ subject: carol, action: callTool, resource: echo })).body.decision).toBe(false);
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    const body = { subject: carol, action: callTool, resource: echo };
    expect((await request(app).post('/access/v1/evaluation').send(body)).status).toBe(401);
    expect((await request(app).post('/access/v1/evaluation').set('authorization', `Bearer ${TEST_API_KEY}`).send(body)).status).toBe(200);
  });
});

describe('AuthZEN access evaluations', () => {
  it('evaluates every item with the top-level defaults, in order', async () => {
    const { app } = testPdp();
    const res = await request(app)
      .post('/access/v1/evaluations')
      .send({ subject: alice, action: callTool, evaluations: [{ resource: echo }, { resource: getEnv }, { subject: carol, resource: getEnv }] });
    expect(res.body.evaluations.map((evaluation: { decision: boolean }) => evaluation.decision)).toEqual([true, false, true]);
  });

  it('stops early under deny_on_first_deny and permit_on_first_permit', async () => {
    const { app } = testPdp();
    const items = [{ resource: echo }, { resource: getEnv }, { resource: echo }];
    const denyFirst = await request(app)
      .post('/access/v1/evaluations')
      .send({ subject: alice, action: callTool, evaluations: items, options: { evaluations_semantic: 'deny_on_first_deny' } });
    expect(denyFirst.body.evaluations.map((evaluation: { decision: boolean }) => evaluation.decision)).toEqual([true, false]);
    const permitFirst = await request(app)
      .post('/access/v1/evaluations')
      .send({ subject: alice, action: callTool, evaluations: items, options: { evaluations_semantic: 'permit_on_first_permit' } });
    expect(permitFirst.body.evaluations).toHaveLength(1);
  });

  it('answers like a single evaluation without items', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/access/v1/evaluations').send({ subject: alice, action: callTool, resource: echo });
    expect(res.body).toMatchObject({ decision: true });
  });

  it('denies every item when the engine fails or no bundle is active', async () => {
    const body = { subject: carol, action: callTool, evaluations: [{ resource: echo }, { resource: getEnv }] };
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    const failed = await request(failing.app).post('/access/v1/evaluations').send(body);
    expect(failed.status).toBe(200);
    expect(failed.body.evaluations.map((evaluation: { decision: boolean }) => evaluation.decision)).toEqual([false, false]);
    const missing = testPdp({ bundle: null });
    const none = await request(missing.app).post('/access/v1/evaluations').send(body);
    expect(none.body.evaluations).toEqual([
      expect.objectContaining({ decision: false, context: expect.objectContaining({ reason_admin: { en: 'no policy bundle is active' } }) }),
      expect.objectContaining({ decision: false }),
    ]);
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    const body = { subject: carol, action: callTool, evaluations: [{ resource: echo }] };
    expect((await request(app).post('/access/v1/evaluations').send(body)).status).toBe(401);
    const ok = await request(app).post('/access/v1/evaluations').set('x-api-key', TEST_API_KEY).send(body);
    expect(ok.body.evaluations[0].decision).toBe(true);
  });

  it('names the item that lacks a subject, action or resource', async () => {
    const { app, recorded } = testPdp();
    const res = await request(app).post('/access/v1/evaluations').send({ action: callTool, evaluations: [{ subject: alice, resource: echo }, { resource: echo }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'evaluations.1.subject', message: 'required here or at the top level' }]);
    expect(recorded).toHaveLength(0);
  });
});

describe('AuthZEN PDP metadata', () => {
  it('names the evaluation endpoints on the host the client used, without an API key', async () => {
    const { app } = testPdp({ withApiKeys: true });
    const res = await request(app).get('/.well-known/authzen-configuration').set('host', 'pdp.example:8181');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      policy_decision_point: 'http://pdp.example:8181',
      access_evaluation_endpoint: 'http://pdp.example:8181/access/v1/evaluation',
      access_evaluations_endpoint: 'http://pdp.example:8181/access/v1/evaluations',
    });
  });
});
