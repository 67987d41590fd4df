import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

const ISSUER = 'https://auth.example.test';
const RESOURCE = 'https://mcp.example.test/mcp';

describe('the proxy as an OAuth 2.1 resource server', () => {
  let jwk: JWK;
  let sign: (claims: Record<string, unknown>, options?: { audience?: string; expiresIn?: string; issuer?: string }) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256' };
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? RESOURCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(privateKey);
  });
  const stack = useProxyStack(() => ({
    env: { PROXY_JWT_ISSUER: ISSUER, PROXY_JWT_JWKS_URL: `${ISSUER}/jwks.json`, PROXY_RESOURCE_URL: RESOURCE },
    jwtKeys: createLocalJWKSet({ keys: [jwk] }),
  }));

  it('publishes RFC 9728 metadata naming the authorization server', async () => {
    const res = await fetch(new URL('/.well-known/oauth-protected-resource', stack.proxy.url));
    expect(await res.json()).toMatchObject({ resource: RESOURCE, authorization_servers: [ISSUER] });
  });

  it('accepts a valid token and takes the principal from its subject', async () => {
    const token = await sign({ sub: 'alice' });
    const { client } = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${token}` } });
    await client.callTool({ name: 'everything__echo', arguments: { message: 'with a token' } });
    const denied = (await client.callTool({ name: 'everything__get-env', arguments: {} }).catch((error: unknown) => error)) as McpError;
    expect(denied.code).toBe(-32000);
    expect(stack.proxy.audit.filter((event) => event.tool === 'echo').at(-1)).toMatchObject({ principal: { id: 'alice' }, payload: { authenticated_by: 'jwt' } });
    await client.close();
  });

  it.each([
    ['another audience', { audience: 'https://elsewhere.example.test/mcp' }],
    ['another issuer', { issuer: 'https://evil.example.test' }],
    ['an expired token', { expiresIn: '-1m' }],
  ])('answers 401 with WWW-Authenticate for %s', async (_name, options) => {
    const token = await sign({ sub: 'alice' }, options);
    const res = await fetch(new URL('/mcp', stack.proxy.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource"`);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32003);
  });
});
