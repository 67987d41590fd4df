import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { createIdentity } from '../identity/identity';

const ISSUER = 'https://auth.example.test';
const RESOURCE = 'https://mcp.example.test/mcp';

describe('bearer tokens already verified', () => {
  let keys: JWTVerifyGetKey;
  let sign: (claims: Record<string, unknown>, expiresIn: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'RS256' }] });
    sign = (claims, expiresIn) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(ISSUER).setAudience(RESOURCE).setExpirationTime(expiresIn).sign(privateKey);
  });

  /** An identity whose key lookups are counted: one lookup per signature verified. */
  function countingIdentity(now: () => number) {
    const lookups = { count: 0 };
    const counted: JWTVerifyGetKey = (header, token) => {
      lookups.count += 1;
      return keys(header, token);
    };
    const identity = createIdentity({ jwt: { issuer: ISSUER, audience: RESOURCE, keys: counted, rolesClaim: 'roles' }, local: { id: 'anonymous', type: 'user' } }, now);
    return { identity, lookups };
  }

  const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

  it('are not verified again, and each request gets its own copy of the principal', async () => {
    const { identity, lookups } = countingIdentity(Date.now);
    const token = await sign({ sub: 'alice', roles: ['developer'] }, '5m');
    const first = await identity.identify(request(token));
    const second = await identity.identify(request(token));
    expect(lookups.count).toBe(1);
    expect(second).toEqual(first);
    if (!first.ok || !second.ok) throw new Error('not identified');
    expect(second.caller.principal).toEqual({ id: 'alice', type: 'user', roles: ['developer'] });
    expect(second.caller.principal).not.toBe(first.caller.principal);
    expect(second.caller.principal.roles).not.toBe(first.caller.principal.roles);
  });

  it('are verified again after five minutes, and refused once expired', async () => {
    let now = Date.now();
    const { identity, lookups } = countingIdentity(() => now);
    const token = await sign({ sub: 'alice' }, '1h');
    await identity.identify(request(token));
    now += 5 * 60_000 - 1;
    await identity.identify(request(token));
    expect(lookups.count).toBe(1);
    now += 1;
    expect((await identity.identify(request(token))).ok).toBe(true);
    expect(lookups.count).toBe(2);

    now = Date.now();
    const shortLived = await sign({ sub: 'alice' }, '1s');
    expect((await identity.identify(request(shortLived))).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    now = Date.now();
    expect(await identity.identify(request(shortLived))).toEqual({ ok: false, message: 'invalid or expired token' });
  });

  it('are not remembered when refused', async () => {
    const { identity, lookups } = countingIdentity(Date.now);
    const noSubject = await sign({}, '5m');
    await identity.identify(request(noSubject));
    await identity.identify(request(noSubject));
    expect(lookups.count).toBe(2);
  });
});
