import request from 'supertest';
import { createDecisionCache } from '../decisions/decision-cache';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, testPdp } from './support/test-app';

const echo = { action: 'tools/call', server_name: 'everything', tool_name: 'echo' };

async function metric(app: Parameters<typeof request>[0], name: string): Promise<number> {
  const text = (await request(app).get('/metrics')).text;
  const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && row.includes('entrypoint="mcp/gateway/decision"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('decision cache', () => {
  it('answers a repeated question from the cache, whatever the key order, with fresh ids', async () => {
    const engine = fakeEngine();
    const { app, recorded } = testPdp({ bundle: activeBundle(engine) });
    const first = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    const reordered = { principal: { roles: ['developer'], type: 'user', id: 'alice' }, tool_name: 'echo', server_name: 'everything', action: 'tools/call' };
    const second = await request(app).post('/v1/authorize').send(reordered);
    expect(engine.calls).toBe(1);
    expect(second.body).toMatchObject({ allow: true, reasons: first.body.reasons, revision: 'rev-1' });
    expect(second.body.decision_id).not.toBe(first.body.decision_id);
    expect(recorded).toHaveLength(2);
    expect(await metric(app, 'pdp_decision_cache_hits_total')).toBe(1);
    expect(await metric(app, 'pdp_decision_cache_misses_total')).toBe(1);
  });

  it('does not cache decisions with cache_ttl 0 (every denial)', async () => {
    const engine = fakeEngine();
    const { app } = testPdp({ bundle: activeBundle(engine) });
    const question = { ...echo, tool_name: 'get-env', principal: ALICE };
    await request(app).post('/v1/authorize').send(question);
    await request(app).post('/v1/authorize').send(question);
    expect(engine.calls).toBe(2);
  });

  it('does not cache a question whose input is larger than 16 KiB', async () => {
    const engine = fakeEngine();
    const { app } = testPdp({ bundle: activeBundle(engine) });
    const question = { ...echo, principal: ALICE, parameters: { message: 'x'.repeat(20_000) } };
    for (let i = 0; i < 2; i++) expect((await request(app).post('/v1/authorize').send(question)).body.allow).toBe(true);
    expect(engine.calls).toBe(2);
  });

  it('keys on the whole input: other parameters are another question', async () => {
    const engine = fakeEngine();
    const { app } = testPdp({ bundle: activeBundle(engine) });
    await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, parameters: { text: 'a' } });
    const other = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, parameters: { text: 'b' } });
    expect(engine.calls).toBe(2);
    expect(other.body.filtered_parameters).toEqual({ text: 'b' });
  });

  it('is cleared when another bundle is activated', async () => {
    const first = fakeEngine();
    const { app, bundles } = testPdp({ bundle: activeBundle(first, 'rev-1') });
    await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    const second = fakeEngine({ evaluate: () => ({ allow: false, reasons: ['revoked'], cache_ttl: 0 }) });
    bundles.activate(activeBundle(second, 'rev-2'));
    const res = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    expect(res.body).toMatchObject({ allow: false, reason: 'revoked', revision: 'rev-2' });
  });

  it('bypasses the cache when explaining', async () => {
    const engine = fakeEngine();
    const { app } = testPdp({ bundle: activeBundle(engine) });
    await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    const explained = await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE, explain: true });
    expect(engine.calls).toBe(2);
    expect(explained.body.explanation).toHaveLength(1);
  });

  it('can be turned off', async () => {
    const engine = fakeEngine();
    const { app } = testPdp({ bundle: activeBundle(engine), settings: { cacheSize: 0 } });
    await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    await request(app).post('/v1/authorize').send({ ...echo, principal: ALICE });
    expect(engine.calls).toBe(2);
  });
});

describe('createDecisionCache', () => {
  it('expires entries after their time to live', () => {
    let now = 0;
    const cache = createDecisionCache(10, () => now);
    cache.set('k', 'v', 2);
    now = 1999;
    expect(cache.get('k')).toBe('v');
    now = 2000;
    expect(cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used entry', () => {
    const cache = createDecisionCache(2);
    cache.set('a', 1, 60);
    cache.set('b', 2, 60);
    cache.get('a');
    cache.set('c', 3, 60);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });
});
