import request from 'supertest';
import { createSubjectTokenVerifier } from '../principals/subject-token-verifier';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { AUDIENCE, ISSUER, startTestIdp } from './support/jwks-server';
import { ALICE, CAROL, TEST_API_KEY, testPdp } from './support/test-app';

describe('GET /v1/servers and /v1/tools', () => {
  it('lists only the servers the principal may use', async () => {
    const { app } = testPdp();
    const alice = await request(app).get('/v1/servers').set('x-principal', JSON.stringify(ALICE));
    expect(alice.status).toBe(200);
    expect(alice.body).toEqual({ servers: [{ name: 'everything', description: 'demo', sensitivity: 'low', owners: ['platform'] }], revision: 'rev-1' });
    const carol = await request(app).get('/api/v1/gateway/servers').set('x-principal', JSON.stringify(CAROL));
    expect(carol.body.servers.map((server: { name: string }) => server.name)).toEqual(['everything', 'postgres']);
  });

  it('lists only the tools the principal may call, optionally for one server', async () => {
    const { app } = testPdp();
    const alice = await request(app).get('/v1/tools').set('x-principal', JSON.stringify(ALICE));
    expect(alice.body.tools).toEqual([{ server: 'everything', name: 'echo', sensitivity: 'low' }]);
    const carol = await request(app).get('/api/v1/gateway/tools?server_name=postgres').set('x-principal', JSON.stringify(CAROL));
    expect(carol.body.tools).toEqual([{ server: 'postgres', name: 'query', sensitivity: 'high' }]);
  });

  it('takes the principal from a verified X-Subject-Token and refuses one that does not verify', async () => {
    const idp = await startTestIdp();
    try {
      const { app, recorded } = testPdp({ tokens: createSubjectTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 }) });
      const carol = await request(app).get('/v1/servers').set('x-subject-token', await idp.sign({ sub: 'carol', roles: ['admin'] }));
      expect(carol.body.servers.map((server: { name: string }) => server.name)).toEqual(['everything', 'postgres']);
      expect(recorded.map((event) => event.principal?.id)).toEqual(['carol', 'carol']);
      const expired = await idp.sign({ sub: 'carol', roles: ['admin'] }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
      const refused = await request(app).get('/v1/tools').set('x-subject-token', expired);
      expect(refused.status).toBe(401);
      expect(refused.body.error).toMatchObject({ code: 'invalid_subject_token', message: 'subject token rejected: expired' });
    } finally {
      await idp.close();
    }
  });

  it('requires a principal', async () => {
    const { app } = testPdp();
    const none = await request(app).get('/v1/servers');
    expect(none.status).toBe(400);
    const bad = await request(app).get('/v1/tools').set('x-principal', '{"type":"user"}');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('id');
    const notJson = await request(app).get('/v1/servers').set('x-principal', '{id:');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.details).toEqual([{ path: 'x-principal', message: 'expected JSON' }]);
  });

  it('lists nothing when the engine fails or no bundle is active', async () => {
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    const res = await request(failing.app).get('/v1/tools').set('x-principal', JSON.stringify(CAROL));
    expect(res.body.tools).toEqual([]);
    const missing = testPdp({ bundle: null });
    const none = await request(missing.app).get('/v1/servers').set('x-principal', JSON.stringify(CAROL));
    expect(none.body).toEqual({ servers: [], revision: null });
    const noTools = await request(missing.app).get('/v1/tools?server_name=everything').set('x-principal', JSON.stringify(CAROL));
    expect(noTools.body).toEqual({ tools: [], revision: null });
    const failedServers = await request(failing.app).get('/v1/servers').set('x-principal', JSON.stringify(CAROL));
    expect(failedServers.body.servers).toEqual([]);
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    expect((await request(app).get('/v1/servers').set('x-principal', JSON.stringify(ALICE))).status).toBe(401);
    expect((await request(app).get('/v1/tools').set('x-principal', JSON.stringify(ALICE))).status).toBe(401);
    const tools = await request(app).get('/v1/tools').set('x-api-key', TEST_API_KEY).set('x-principal', JSON.stringify(ALICE));
    expect(tools.body.tools).toEqual([{ server: 'everything', name: 'echo', sensitivity: 'low' }]);
    const ok = await request(app).get('/v1/servers').set('x-api-key', TEST_API_KEY).set('x-principal', JSON.stringify(ALICE));
    expect(ok.status).toBe(200);
  });
});
