import type { JWTPayload } from 'jose';
import { ALL_TENANTS } from '../../common';
import { TENANT_PATTERN } from '../contracts/principal';
import type { ConsoleCaller } from './console-access';
import type { ConsoleTokenClaims } from './console-settings';

export type TokenCallerVerdict = { ok: true; caller: ConsoleCaller } | { ok: false; message: string };

/**
 * The console caller a verified token stands for. The role claim may hold one value or a list; admin
 * wins over viewer, and a token with neither is refused (it proves who the caller is, not that they
 * may use the console). A token without the tenant claim sees the `default` tenant, as a decision
 * request without one is decided for it.
 */
export function consoleCallerFromClaims(claims: JWTPayload, mapping: ConsoleTokenClaims): TokenCallerVerdict {
  const roles = valuesOf(claimAt(claims, mapping.roleClaim));
  const role = roles.some((value) => mapping.adminRoles.includes(value)) ? 'admin' : roles.some((value) => mapping.viewerRoles.includes(value)) ? 'viewer' : undefined;
  if (role === undefined) {
    return { ok: false, message: `the token gives no console role: its claim ${mapping.roleClaim} must hold one of ${[...mapping.viewerRoles, ...mapping.adminRoles].join(', ')}` };
  }
  const tenant = claimAt(claims, mapping.tenantClaim) ?? 'default';
  if (typeof tenant !== 'string' || !(tenant === ALL_TENANTS || (tenant.length <= 128 && TENANT_PATTERN.test(tenant)))) {
    return { ok: false, message: `the token's claim ${mapping.tenantClaim} is not a tenant name` };
  }
  const subject = String(claims.sub);
  const name = [claims.preferred_username, claims.name].find((value): value is string => typeof value === 'string' && value.length > 0) ?? subject;
  return {
    ok: true,
    caller: { via: 'jwt', id: subject, name, tenant, role, ...(typeof claims.exp === 'number' ? { expiresAt: new Date(claims.exp * 1000) } : {}) },
  };
}

/** A claim by its name, or, for names with dots that are not claims themselves, by path (`realm_access.roles`). */
function claimAt(claims: JWTPayload, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function valuesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string');
  return [];
}
