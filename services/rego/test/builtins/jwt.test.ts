import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fromJSON, ObjectValue, type Value } from '../../value';
import { context, invoke, invokeJSON } from './invoke';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');

const pem = (k: KeyObject) => k.export({ format: 'pem', type: 'spki' }).toString();
const jwk = (k: KeyObject, extra: Record<string, string> = {}) => ({ ...k.export({ format: 'jwk' }), ...extra });
const b64 = (x: object | string) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

function sign(alg: string, key: KeyObject | string, payload: object, header: object = {}): string {
  const keyArg = JSON.stringify(typeof key === 'string' ? { kty: 'oct', k: b64(key) } : jwk(key));
  return invoke('io.jwt.encode_sign_raw', [JSON.stringify({ alg, typ: 'JWT', ...header }), JSON.stringify(payload), keyArg]) as string;
}

const NOW_S = 1_700_000_000;
const at = context({ nowNs: BigInt(NOW_S) * 1_000_000_000n });
const constraints = (c: Record<string, unknown>) => fromJSON(c);
const decodeVerify = (token: string, c: Record<string, unknown>) => invokeJSON('io.jwt.decode_verify', [token, constraints(c)], at) as [boolean, unknown, unknown];

describe('io.jwt', () => {
  test('RS256 tokens from another signer verify with a PEM key, a JWK and a JWKS', () => {
    const header = b64({ alg: 'RS256', typ: 'JWT' });
    const payload = b64({ sub: 'agent-1' });
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(rsa.privateKey).toString('base64url');
    const token = `${header}.${payload}.${signature}`;
    expect(invoke('io.jwt.verify_rs256', [token, pem(rsa.publicKey)])).toBe(true);
    expect(invoke('io.jwt.verify_rs256', [token, JSON.stringify(jwk(rsa.publicKey))])).toBe(true);
    expect(invoke('io.jwt.verify_rs256', [token, JSON.stringify({ keys: [jwk(otherRsa.publicKey), jwk(rsa.publicKey)] })])).toBe(true);
    expect(invoke('io.jwt.verify_rs256', [token, pem(otherRsa.publicKey)])).toBe(false);
  });

  test('a signature checked with the wrong algorithm or key type is false, not an error', () => {
    const token = sign('RS256', rsa.privateKey, { sub: 'a' });
    expect(invoke('io.jwt.verify_ps256', [token, pem(rsa.publicKey)])).toBe(false);
    expect(invoke('io.jwt.verify_es256', [token, pem(rsa.publicKey)])).toBe(false);
    expect(invoke('io.jwt.verify_rs384', [token, pem(rsa.publicKey)])).toBe(false);
    expect(invoke('io.jwt.verify_hs256', [token, 'secret'])).toBe(false);
  });

  test('PS, ES and EdDSA round trips', () => {
    expect(invoke('io.jwt.verify_ps384', [sign('PS384', rsa.privateKey, { a: 1 }), pem(rsa.publicKey)])).toBe(true);
    expect(invoke('io.jwt.verify_es256', [sign('ES256', ec.privateKey, { a: 1 }), pem(ec.publicKey)])).toBe(true);
    expect(invoke('io.jwt.verify_eddsa', [sign('EdDSA', ed.privateKey, { a: 1 }), pem(ed.publicKey)])).toBe(true);
    expect(invoke('io.jwt.verify_hs512', [sign('HS512', 'k3y', { a: 1 }), 'k3y'])).toBe(true);
  });

  test('decode returns header, payload and hex signature; malformed tokens are errors', () => {
    const token = sign('HS256', 'secret', { iss: 'opa', name: 'Ünïcödé ✓' });
    const [header, payload, sig] = invokeJSON('io.jwt.decode', [token]) as [object, object, string];
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ iss: 'opa', name: 'Ünïcödé ✓' });
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(() => invoke('io.jwt.decode', ['a.b'])).toThrow('encoded JWT must have 3 sections, found 2');
    expect(() => invoke('io.jwt.decode', ['nodots'])).toThrow('encoded JWT had no period separators');
    expect(() => invoke('io.jwt.decode', [`${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.e30.`])).toThrow('JWT is a JWE object');
  });

  test('decode_verify checks expiry and not-before against the query clock', () => {
    const key = pem(rsa.publicKey);
    const valid = sign('RS256', rsa.privateKey, { iss: 'idp', exp: NOW_S + 60, nbf: NOW_S - 60 });
    expect(decodeVerify(valid, { cert: key })[0]).toBe(true);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { exp: NOW_S - 1 }), { cert: key })).toEqual([false, {}, {}]);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { exp: NOW_S }), { cert: key })[0]).toBe(false);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { nbf: NOW_S + 1 }), { cert: key })[0]).toBe(false);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { nbf: NOW_S }), { cert: key })[0]).toBe(true);
    // An explicit time constraint (ns) replaces the clock.
    expect(decodeVerify(valid, { cert: key, time: (NOW_S + 3600) * 1e9 })[0]).toBe(false);
    expect(() => decodeVerify(sign('RS256', rsa.privateKey, { exp: 'soon' }), { cert: key })).toThrow('exp value must be a number');
  });

  test('decode_verify checks algorithm, issuer and audience constraints', () => {
    const key = pem(rsa.publicKey);
    const token = sign('RS256', rsa.privateKey, { iss: 'idp', aud: ['mcp', 'other'] });
    expect(decodeVerify(token, { cert: key, aud: 'mcp', iss: 'idp' })[0]).toBe(true);
    expect(decodeVerify(token, { cert: key, aud: 'mcp', iss: 'evil' })[0]).toBe(false);
    expect(decodeVerify(token, { cert: key, aud: 'nope' })[0]).toBe(false);
    // A token with an audience is not accepted without an audience constraint.
    expect(decodeVerify(token, { cert: key })[0]).toBe(false);
    expect(decodeVerify(token, { cert: key, aud: 'mcp', alg: 'RS512' })[0]).toBe(false);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { iss: 'idp' }), { cert: key, aud: 'mcp' })[0]).toBe(false);
  });

  test('decode_verify: HS secrets, JWKS kid selection, critical headers, constraint errors', () => {
    expect(decodeVerify(sign('HS256', 's3cret', { a: 1 }), { secret: 's3cret' })[0]).toBe(true);
    expect(decodeVerify(sign('HS256', 's3cret', { a: 1 }), { secret: 'wrong' })[0]).toBe(false);
    const jwks = JSON.stringify({ keys: [jwk(otherRsa.publicKey, { kid: 'k1' }), jwk(rsa.publicKey, { kid: 'k2' })] });
    expect(decodeVerify(sign('RS256', rsa.privateKey, { a: 1 }, { kid: 'k2' }), { cert: jwks })[0]).toBe(true);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { a: 1 }, { kid: 'k1' }), { cert: jwks })[0]).toBe(false);
    expect(decodeVerify(sign('RS256', rsa.privateKey, { a: 1 }, { crit: ['junk'], junk: 1 }), { cert: pem(rsa.publicKey) })[0]).toBe(false);
    expect(() => decodeVerify('a.b.c', {})).toThrow('no key constraint');
    expect(() => decodeVerify('a.b.c', { secret: 'x', cert: pem(rsa.publicKey) })).toThrow('duplicate key constraints');
    expect(() => decodeVerify('a.b.c', { secret: 'x', foo: 1 })).toThrow('unknown token validation constraint: foo');
  });

  test('key material errors follow OPA', () => {
    const token = sign('RS256', rsa.privateKey, { a: 1 });
    expect(() => invoke('io.jwt.verify_rs256', [token, `${pem(rsa.publicKey)}trailing`])).toThrow(
      'extra data after a PEM certificate block',
    );
    expect(() => invoke('io.jwt.verify_rs256', [token, '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'])).toThrow(
      'failed to extract a Key from the PEM certificate',
    );
    expect(() => invoke('io.jwt.verify_rs256', [token, '{"kty":'])).toThrow('failed to parse a JWK key (set)');
  });

  test('encode_sign writes sorted, compact JSON and refuses unknown algorithms and non-JSON JWT payloads', () => {
    const token = invoke('io.jwt.encode_sign', [
      fromJSON({ typ: 'JWT', alg: 'HS256' }),
      fromJSON({ b: 1, a: '<x>' }),
      fromJSON({ kty: 'oct', k: b64('secret') }),
    ]) as string;
    const [h, p] = token.split('.').map((part) => Buffer.from(part, 'base64url').toString());
    expect(h).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(p).toBe('{"a":"\\u003cx\\u003e","b":1}');
    expect(invoke('io.jwt.verify_hs256', [token, 'secret'])).toBe(true);
    const k = JSON.stringify({ kty: 'oct', k: b64('secret') });
    expect(() => invoke('io.jwt.encode_sign_raw', ['{"alg":"none"}', '{}', k])).toThrow('unknown JWS algorithm: none');
    expect(() => invoke('io.jwt.encode_sign_raw', ['{}', '{}', k])).toThrow('missing or invalid \'alg\' header');
    expect(() => invoke('io.jwt.encode_sign_raw', ['{"alg":"HS256"}', 'not json', k])).toThrow('type is JWT but payload is not JSON');
  });

  test('results are memoised per token and key without changing answers', () => {
    const token = sign('RS256', rsa.privateKey, { a: 1 });
    for (let i = 0; i < 3; i++) {
      expect(invoke('io.jwt.verify_rs256', [token, pem(rsa.publicKey)])).toBe(true);
      expect(invoke('io.jwt.verify_rs256', [token, pem(otherRsa.publicKey)])).toBe(false);
    }
    const out = invoke('io.jwt.decode_verify', [token, fromJSON({ cert: pem(rsa.publicKey) }) as ObjectValue], at) as Value[];
    expect(out[0]).toBe(true);
  });
});
