import request from 'supertest';
import { createSubjectTokenVerifier } from '../principals/subject-token-verifier';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { AUDIENCE, ISSUER, startTestIdp } from './support/jwks-server';
import { TEST_API_KEY, testPdp } from './support/test-app';

function registryRequest(body: unknown, auth: unknown = { valid: true, username: 'alice', groups: ['developer'], scopes: ['mcp'], auth_method: 'oauth2', client_id: 'c1' }) {
  return {
    request: { method: 'POST', path: '/everything/mcp', original_url: 'https://gw/everything/mcp', query_params: {}, headers: {}, body, client_ip: '10.1.2.3' },
    native_auth_result: auth,
    context: { timestamp: '2026-01-05T10:00:00Z', request_id: 'gw-1', gateway_version: '1.0' },
  };
}

const callEcho = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } };
const callGetEnv = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get-env', arguments: {} } };

describe('POST /authorize (MCP Gateway Registry)', () => {
  it('authorizes what the policy allows, reading server and tool from the request', async () => {
    const seen: unknown[] = [];
    const engine = fakeEngine();
    const { app } = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: (path, input, options) => (seen.push(input), engine.evaluate(path, input, options)) })) });
    const res = await request(app).post('/authorize').send(registryRequest(JSON.stringify(callEcho)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ authorized: true, metadata: { revision: 'rev-1', reasons: ['echo is public'] } });
    expect(seen[0]).toEqual({
      principal: { id: 'alice', type: 'user', roles: ['developer'], attributes: { scopes: ['mcp'], auth_method: 'oauth2', client_id: 'c1' } },
      action: 'tools/call',
      resource: { server: 'everything', tool: 'echo' },
      parameters: { text: 'hi' },
      context: { ip: '10.1.2.3', time: '2026-01-05T10:00:00Z', request_id: 'gw-1' },
    });
  });

  it('refuses what the policy denies, with the reason', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/authorize').send(registryRequest(callGetEnv));
    expect(res.body).toMatchObject({ authorized: false, error: { code: 'forbidden', message: 'alice may not tools/call', details: [] } });
  });

  it('refuses when the gateway could not authenticate the user', async () => {
    const { app, recorded } = testPdp();
    for (const auth of [null, { valid: false }]) {
      const res = await request(app).post('/authorize').send(registryRequest(callEcho, auth));
      expect(res.body).toMatchObject({ authorized: false, error: { code: 'unauthenticated' } });
    }
    expect(recorded.map((event) => event.decision)).toEqual(['deny', 'deny']);
  });

  it('accepts a verified bearer token forwarded by the gateway', async () => {
    const idp = await startTestIdp();
    try {
      const tokens = createSubjectTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 });
      const { app } = testPdp({ tokens });
      const body = registryRequest(callGetEnv, null);
      body.request.headers = { Authorization: `Bearer ${await idp.sign({ sub: 'carol', roles: ['admin'] })}` } as never;
      expect((await request(app).post('/authorize').send(body)).body.authorized).toBe(true);
    } finally {
      await idp.close();
    }
  });

  it('refuses bodies that are not JSON-RPC', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/authorize').send(registryRequest('not json'));
    expect(res.body).toMatchObject({ authorized: false, error: { code: 'invalid_mcp_request' } });
  });

  it('answers invalid requests with 400 and authorized false', async () => {
    const { app } = testPdp();
    const res = await request(app).post('/authorize').send({ request: { method: 'POST' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ authorized: false, error: { code: 'invalid_request', details: [{ path: 'request.path' }] } });
  });

  it('refuses when the engine fails or no bundle is active', async () => {
    const failing = testPdp({ bundle: activeBundle(fakeEngine({ evaluate: () => { throw new Error('x'); } })) });
    expect((await request(failing.app).post('/authorize').send(registryRequest(callEcho))).body.authorized).toBe(false);
    const missing = testPdp({ bundle: null });
    expect((await request(missing.app).post('/authorize').send(registryRequest(callEcho))).body.authorized).toBe(false);
  });

  it('answers unparsable, too deep, oversized and unauthenticated requests with authorized false, on both request paths', async () => {
    const { app } = testPdp({ withApiKeys: true, settings: { maxBodyBytes: 4096 } });
    // The fast path takes plain JSON; another media type goes through express.
    for (const type of ['application/json', 'application/vnd.mcp+json']) {
      const post = (body: string, key = TEST_API_KEY) => request(app).post('/authorize').set('content-type', type).set('x-api-key', key).send(body);
      const cases = [
        { res: await post('{"request":'), status: 400, code: 'invalid_json' },
        { res: await post(`{"request":${'['.repeat(1500)}${']'.repeat(1500)}}`), status: 400, code: 'invalid_request' },
        { res: await post(JSON.stringify(registryRequest('x'.repeat(5000)))), status: 413, code: 'payload_too_large' },
        { res: await post(JSON.stringify(registryRequest(callEcho)), 'wrong-key'), status: 401, code: 'unauthorized' },
      ];
      for (const { res, status, code } of cases) {
        expect({ type, status: res.status, body: res.body }).toMatchObject({ type, status, body: { authorized: false, error: { code } } });
      }
    }
  });

  it('needs an API key when keys are configured', async () => {
    const { app } = testPdp({ withApiKeys: true });
    expect((await request(app).post('/authorize').send(registryRequest(callEcho))).status).toBe(401);
    expect((await request(app).post('/authorize').set('x-api-key', TEST_API_KEY).send(registryRequest(callEcho))).body.authorized).toBe(true);
  });
});
