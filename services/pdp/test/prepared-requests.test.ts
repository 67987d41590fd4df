import request from 'supertest';
import { preparedRequests } from '../endpoints/prepared-requests';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, TEST_API_KEY, testPdp } from './support/test-app';

describe('preparedRequests', () => {
  it('remembers a body from its second sighting on, per scope, frozen', () => {
    const prepared = preparedRequests<{ input: { n: number } }>(10);
    let runs = 0;
    const prepare = () => ({ input: { n: ++runs } });
    expect(prepared('a', '{"x":1}', prepare).input.n).toBe(1);
    const second = prepared('a', '{"x":1}', prepare);
    expect(second.input.n).toBe(2);
    expect(prepared('a', '{"x":1}', prepare)).toBe(second);
    expect(Object.isFrozen(second.input)).toBe(true);
    expect(prepared('b', '{"x":1}', prepare).input.n).toBe(3);
    expect(prepared('a', '{"x": 1}', prepare).input.n).toBe(4);
    expect(prepared('a', undefined, prepare).input.n).toBe(5);
  });

  it('never remembers a body that fails to prepare', () => {
    const prepared = preparedRequests<object>(10);
    let runs = 0;
    const invalid = () => {
      runs++;
      throw new Error('invalid');
    };
    for (let i = 0; i < 3; i++) expect(() => prepared('', '{}', invalid)).toThrow('invalid');
    expect(runs).toBe(3);
  });

  it('keeps at most the given number of bodies, and scopes apart', () => {
    const prepared = preparedRequests<{ n: number }>(2);
    let runs = 0;
    const prepare = () => ({ n: ++runs });
    for (const body of ['1', '2', '3']) for (let i = 0; i < 2; i++) prepared('', body, prepare);
    expect(runs).toBe(6);
    prepared('', '1', prepare);
    expect(runs).toBe(7);
    prepared('a\n ', '{}', prepare);
    prepared('a\n ', '{}', prepare);
    expect(prepared('a', ' \n{}', prepare)).not.toBe(prepared('a\n ', '{}', prepare));
  });

  it('prepares large bodies every time', () => {
    const prepared = preparedRequests<{ n: number }>(10);
    let runs = 0;
    const large = JSON.stringify({ input: 'x'.repeat(20_000) });
    for (let i = 0; i < 3; i++) prepared('', large, () => ({ n: ++runs }));
    expect(runs).toBe(3);
  });

  it('forgets the oldest scope beyond sixteen', () => {
    const prepared = preparedRequests<{ n: number }>(10);
    let runs = 0;
    const prepare = () => ({ n: ++runs });
    for (let scope = 0; scope <= 16; scope++) for (let i = 0; i < 2; i++) prepared(`t${scope}`, '{}', prepare);
    expect(runs).toBe(34);
    prepared('t16', '{}', prepare);
    expect(runs).toBe(34);
    prepared('t0', '{}', prepare);
    expect(runs).toBe(35);
  });
});

describe('a repeated request body', () => {
  const echo = { server_name: 'everything', tool_name: 'echo', principal: ALICE, parameters: { message: 'hi', password: 'p' } };

  it('is decided and audited every time, with its own ids, the caller tenant and the decision cache', async () => {
    const engine = fakeEngine();
    const { app, recorded } = testPdp({ withApiKeys: true, bundle: activeBundle(engine) });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await request(app).post('/v1/authorize').set('X-API-Key', TEST_API_KEY).send(echo)).body);
    expect(answers.map((answer) => answer.allow)).toEqual([true, true, true, true]);
    expect(new Set(answers.map((answer) => answer.decision_id)).size).toBe(4);
    expect(answers[3].filtered_parameters).toEqual({ message: 'hi' });
    expect(engine.calls).toBe(1);
    expect(recorded).toHaveLength(4);
    expect(new Set(recorded.map((event) => event.event_id)).size).toBe(4);
    expect(recorded.every((event) => event.tenant === 'acme' && event.principal?.id === 'alice')).toBe(true);
  });

  it('is refused every time while it is invalid', async () => {
    const { app, recorded } = testPdp();
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post('/v1/data/mcp/gateway/decision').set('content-type', 'application/json').send('{"input": ');
      expect(res.status).toBe(400);
    }
    expect(recorded).toHaveLength(0);
  });

  it('is decided by the bundle active at the time', async () => {
    const first = fakeEngine();
    const { app, bundles } = testPdp({ bundle: activeBundle(first, 'rev-1') });
    const body = { input: { principal: ALICE, action: 'tools/call', resource: { server: 'everything', tool: 'echo' } } };
    for (let i = 0; i < 3; i++) expect((await request(app).post('/v1/data/mcp/gateway/decision').send(body)).body.result.allow).toBe(true);
    expect(first.calls).toBe(1);
    bundles.activate(activeBundle(fakeEngine({ evaluate: () => ({ allow: false, reasons: ['closed'], cache_ttl: 0 }) }), 'rev-2'));
    const after = await request(app).post('/v1/data/mcp/gateway/decision').send(body);
    expect(after.body.result).toEqual({ allow: false, reasons: ['closed'], cache_ttl: 0 });
  });
});
