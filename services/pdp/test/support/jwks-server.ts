import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';

export const ISSUER = 'https://idp.test';
export const AUDIENCE = 'mcp-authz-pdp';

/** A local identity provider: serves its JWKS over HTTP and signs tokens with the matching key. */
export interface TestIdp {
  jwksUrl: string;
  sign(claims: JWTPayload, options?: { expiresIn?: string | number; audience?: string; issuer?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    sign: (claims, options = {}) => signWith(privateKey, claims, options),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function signWith(key: KeyLike, claims: JWTPayload, options: { expiresIn?: string | number; audience?: string; issuer?: string }): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
    .setIssuedAt()
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key);
}
