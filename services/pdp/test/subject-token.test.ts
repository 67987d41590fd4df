import request from 'supertest';
import { createSubjectTokenVerifier } from '../principals/subject-token-verifier';
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from './support/jwks-server';
import { testPdp } from './support/test-app';

const echo = { action: 'tools/call', server_name: 'everything', tool_name: 'echo' };
const getEnv = { action: 'tools/call', server_name: 'everything', tool_name: 'get-env' };

describe('subject tokens verified against a JWKS', () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(() => idp.close());

  function pdp() {
    return testPdp({ tokens: createSubjectTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 }) });
  }

  it('takes the principal from a valid token', async () => {
    const { app, recorded } = pdp();
    const token = await idp.sign({ sub: 'carol', roles: ['admin'], tenant: 'acme', department: 'it' });
    const res = await request(app).post('/v1/authorize').send({ ...getEnv, subject_token: token });
    expect(res.body).toMatchObject({ allow: true, reason: 'admin may do anything' });
    expect(recorded[0]).toMatchObject({ principal: { id: 'carol', type: 'user' }, tenant: 'acme' });
  });

  it('denies with the reason when the token has expired', async () => {
    const { app, recorded } = pdp();
    const token = await idp.sign({ sub: 'carol', roles: ['admin'] }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const res = await request(app).post('/v1/authorize').send({ ...echo, subject_token: token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allow: false, reason: 'subject token rejected: expired', cache_ttl: 0 });
    expect(recorded[0]).toMatchObject({ decision: 'deny', reason: 'subject token rejected: expired' });
  });

  it('denies a token meant for another audience', async () => {
    const { app } = pdp();
    const token = await idp.sign({ sub: 'carol', roles: ['admin'] }, { audience: 'someone-else' });
    const res = await request(app).post('/v1/authorize').send({ ...echo, subject_token: token });
    expect(res.body).toMatchObject({ allow: false, reason: 'subject token rejected: claim aud is not acceptable' });
  });

  it('denies a token from another issuer and a forged one', async () => {
    const { app } = pdp();
    const otherIssuer = await idp.sign({ sub: 'carol' }, { issuer: 'https://evil.test' });
    const res = await request(app).post('/v1/authorize').send({ ...echo, subject_token: otherIssuer });
    expect(res.body.reason).toBe('subject token rejected: claim iss is not acceptable');
    const valid = await idp.sign({ sub: 'alice', roles: ['developer'] });
    const [header, , signature] = valid.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'alice', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: 9999999999 })).toString('base64url');
    const forged = await request(app).post('/v1/authorize').send({ ...getEnv, subject_token: `${header}.${forgedPayload}.${signature}` });
    expect(forged.body).toMatchObject({ allow: false, reason: 'subject token rejected: signature does not verify' });
  });

  it('refuses tokens when no JWKS is configured', async () => {
    const { app } = testPdp();
    const token = await idp.sign({ sub: 'carol', roles: ['admin'] });
    const res = await request(app).post('/v1/authorize').send({ ...echo, subject_token: token });
    expect(res.body).toMatchObject({ allow: false, reason: 'subject tokens are not accepted: no JWKS is configured' });
  });

  it('verifies agent tokens for agent-to-agent calls', async () => {
    const { app } = pdp();
    const trusted = await idp.sign({ sub: 'planner-agent', trust_level: 'trusted', environment: 'prod' });
    const ok = await request(app).post('/v1/authorize-a2a').send({ target_agent_id: 'billing-agent', capability: 'query', agent_token: trusted });
    expect(ok.body).toMatchObject({ allow: true, reason: 'trusted agent' });
    const mismatch = await request(app)
      .post('/v1/authorize-a2a')
      .send({ source_agent_id: 'other-agent', target_agent_id: 'billing-agent', capability: 'query', agent_token: trusted });
    expect(mismatch.body).toMatchObject({ allow: false, reason: 'agent token does not name source_agent_id' });
  });
});
