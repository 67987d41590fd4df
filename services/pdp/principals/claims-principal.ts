import type { JWTPayload } from 'jose';
import { PRINCIPAL_TYPES, TENANT_PATTERN, type Principal } from '../contracts/principal';

/** Claims we read as principal attributes; every other claim is kept under `attributes`. */
const MAPPED_CLAIMS = new Set(['sub', 'roles', 'teams', 'groups', 'tenant', 'clearance', 'trust_level', 'principal_type', 'timezone', 'zoneinfo']);
const REGISTERED_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti']);

/** A verified JWT's claims as `input.principal`: `sub` is the id, `groups` counts as teams. */
export function principalFromClaims(claims: JWTPayload): Principal {
  const principal: Principal = { id: String(claims.sub), type: principalTypeOf(claims.principal_type) };
  const roles = stringList(claims.roles);
  const teams = stringList(claims.teams) ?? stringList(claims.groups);
  if (roles) principal.roles = roles;
  if (teams) principal.teams = teams;
  if (typeof claims.tenant === 'string' && claims.tenant.length <= 128 && TENANT_PATTERN.test(claims.tenant)) principal.tenant = claims.tenant;
  assignString(principal, 'clearance', claims.clearance);
  assignString(principal, 'trust_level', claims.trust_level);
  assignString(principal, 'timezone', claims.timezone ?? claims.zoneinfo);
  const attributes = Object.fromEntries(
    Object.entries(claims).filter(([name]) => !MAPPED_CLAIMS.has(name) && !REGISTERED_CLAIMS.has(name)),
  );
  if (Object.keys(attributes).length > 0) principal.attributes = attributes;
  return principal;
}

/** An agent token's claims as `input.source_agent` attributes. */
export function agentFromClaims(claims: JWTPayload): Record<string, unknown> {
  const agent: Record<string, unknown> = { type: typeof claims.agent_type === 'string' ? claims.agent_type : 'agent' };
  for (const name of ['trust_level', 'environment'] as const) {
    if (typeof claims[name] === 'string') agent[name] = claims[name];
  }
  const capabilities = stringList(claims.capabilities);
  if (capabilities) agent.capabilities = capabilities;
  return agent;
}

function principalTypeOf(claim: unknown): Principal['type'] {
  return (PRINCIPAL_TYPES as readonly unknown[]).includes(claim) ? (claim as Principal['type']) : 'user';
}

function stringList(claim: unknown): string[] | undefined {
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string');
  return undefined;
}

function assignString(principal: Principal, field: 'clearance' | 'trust_level' | 'timezone', claim: unknown): void {
  if (typeof claim === 'string' && claim.length > 0) principal[field] = claim;
}
