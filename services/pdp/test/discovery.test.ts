import request from 'supertest';
import { activeBundle, fakeEngine } from './support/fake-engine';
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

  it('requires a principal', async () => {
    const { app } = testPdp();
    const none = await request(app).get('/v1/servers');
    expect(none.status).toBe(400);
    const bad = await request(app).get('/v1/tools').set('x-principal', '{"type":"user"}');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('id');
  });

  it('lists nothing when the engine fails or no bundle is active', async () => {
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    const res = await request(failing.app).get('/v1/tools').set('x-principal', JSON.stringify(CAROL));
    expect(res.body.tools).toEqual([]);
    const missing = testPdp({ bundle: null });
    const none = await request(missing.app).get('/v1/servers').set('x-principal', JSON.stringify(CAROL));
    expect(none.body).toEqual({ servers: [], revision: null });
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    expect((await request(app).get('/v1/servers').set('x-principal', JSON.stringify(ALICE))).status).toBe(401);
    const ok = await request(app).get('/v1/servers').set('x-api-key', TEST_API_KEY).set('x-principal', JSON.stringify(ALICE));
    expect(ok.status).toBe(200);
  });
});
