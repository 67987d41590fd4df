import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createExpiringMap, presentedApiKey, verifyApiKey, type ApiKeysSource } from '../../common';
import type { LocalPrincipal } from '../config/servers-file';
import type { Caller } from '../enforcement/caller';
import type { PdpPrincipal } from '../pdp-client/pdp-contract';

export interface JwtSettings {
  issuer: string;
  /** The proxy's resource URL: tokens must be issued for it (RFC 8707 audience). */
  audience: string;
  jwksUrl?: string;
  /** Overrides `jwksUrl` (tests). */
  keys?: JWTVerifyGetKey;
  /** Claim holding the roles (array or space-separated string). */
  rolesClaim: string;
}

export interface IdentityOptions {
  jwt?: JwtSettings;
  apiKeys?: ApiKeysSource;
  /** API key name → principal; a key without an entry is the principal named like the key. */
  keyPrincipals?: Record<string, LocalPrincipal>;
  /** Who the caller is when no authentication is configured (loopback or `PROXY_AUTH=none`). */
  local: LocalPrincipal;
}

export type Identification = { ok: true; caller: Caller } | { ok: false; message: string };

/** Establishes who sent an HTTP request. Tokens and keys are only read here; nothing passes them upstream. */
export interface Identity {
  identify(req: IncomingMessage): Promise<Identification>;
  /** True when every request needs a credential (JWT or API key). */
  readonly required: boolean;
}

export function createIdentity(options: IdentityOptions, now: () => number = Date.now): Identity {
  const jwks = options.jwt ? (options.jwt.keys ?? createRemoteJWKSet(new URL(options.jwt.jwksUrl ?? ''))) : undefined;
  const required = options.jwt !== undefined || options.apiKeys !== undefined;

  const verified = createExpiringMap<PdpPrincipal>(VERIFIED_TOKENS, now);

  async function fromJwt(token: string, ip: string): Promise<Identification> {
    if (!options.jwt || !jwks) return { ok: false, message: 'bearer tokens are not accepted here' };
    const known = verified.get(token);
    if (known) return { ok: true, caller: { principal: copyOf(known), ip, authenticatedBy: 'jwt' } };
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: options.jwt.issuer, audience: options.jwt.audience });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) return { ok: false, message: 'token has no subject' };
      const principal = principalFromClaims(payload, options.jwt.rolesClaim);
      verified.set(token, principal, Math.min(payload.exp === undefined ? Infinity : payload.exp * 1000, now() + VERIFIED_TOKEN_TTL_MS));
      return { ok: true, caller: { principal: copyOf(principal), ip, authenticatedBy: 'jwt' } };
    } catch {
      return { ok: false, message: 'invalid or expired token' };
    }
  }

  return {
    required,
    async identify(req) {
      const ip = req.socket.remoteAddress ?? 'unknown';
      if (!required) return { ok: true, caller: { principal: principalOf(options.local), ip, authenticatedBy: 'local' } };
      const presented = presentedApiKey(req);
      if (!presented) return { ok: false, message: 'authentication required' };
      if (looksLikeJwt(presented) && options.jwt) return fromJwt(presented, ip);
      if (!options.apiKeys) return fromJwt(presented, ip);
      const verdict = verifyApiKey(presented, options.apiKeys.keys());
      if (!verdict.ok) return options.jwt && looksLikeJwt(presented) ? fromJwt(presented, ip) : { ok: false, message: `API key ${verdict.reason}` };
      const mapped = options.keyPrincipals?.[verdict.record.name];
      const principal = mapped ? principalOf(mapped) : { id: verdict.record.name, type: 'service' as const };
      if (!principal.tenant && verdict.record.tenant && verdict.record.tenant !== 'default') principal.tenant = verdict.record.tenant;
      return { ok: true, caller: { principal, ip, authenticatedBy: 'api-key' } };
    },
  };
}

// A client sends the same token with every request: verifying its signature each time cost more than
// the proxy's whole enforcement path. Verified tokens are remembered until they expire, but for at most
// VERIFIED_TOKEN_TTL_MS (a key removed from the JWKS stops being honoured after that) and for
// VERIFIED_TOKENS tokens at most. Failures are not remembered.
const VERIFIED_TOKENS = 1000;
const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;

function copyOf(principal: PdpPrincipal): PdpPrincipal {
  return principal.roles ? { ...principal, roles: [...principal.roles] } : { ...principal };
}

function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

function principalOf(local: LocalPrincipal): PdpPrincipal {
  return { ...(local as PdpPrincipal) };
}

function principalFromClaims(payload: JWTPayload, rolesClaim: string): PdpPrincipal {
  const principal: PdpPrincipal = { id: payload.sub as string, type: claimedType(payload.principal_type) };
  const roles = payload[rolesClaim];
  if (Array.isArray(roles)) principal.roles = roles.filter((role): role is string => typeof role === 'string');
  else if (typeof roles === 'string') principal.roles = roles.split(' ').filter((role) => role.length > 0);
  if (typeof payload.tenant === 'string') principal.tenant = payload.tenant;
  return principal;
}

function claimedType(value: unknown): PdpPrincipal['type'] {
  return value === 'agent' || value === 'service' ? value : 'user';
}
