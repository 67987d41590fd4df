import type { ApiKeyPrincipal } from '../http/request-context';

/**
 * The `tenant` of a keys-file record whose key acts for every tenant (an operator key, e.g. for a SIEM
 * exporter or the console). Event tenants cannot contain `*`, so it never names a real tenant.
 */
export const ALL_TENANTS = '*';

/**
 * The one tenant a caller may write and read, or undefined when it may touch all of them: an operator
 * key, or a service running without keys (loopback or `<SVC>_AUTH=none`), as before keys had tenants.
 */
export function tenantScopeOf(principal: ApiKeyPrincipal | undefined): string | undefined {
  if (!principal || principal.tenant === ALL_TENANTS) return undefined;
  return principal.tenant;
}
