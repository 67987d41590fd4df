import { HttpError, type ErrorDetail } from '../../common';

function outsideTenant(scope: string, details: ErrorDetail[]): HttpError {
  return new HttpError(403, 'forbidden', `this API key is bound to tenant ${scope}`, details);
}

/**
 * Events written with a key bound to `scope`: an event naming no tenant gets `scope`; one naming another
 * tenant refuses the whole batch (403, one detail per offending event), so nothing is stored half-scoped.
 * Runs on the raw body, before validation fills in the default tenant.
 */
export function scopeBatchToTenant(body: unknown, scope: string): unknown {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { events?: unknown }).events)) return body;
  const events = (body as { events: unknown[] }).events;
  const details: ErrorDetail[] = [];
  const scoped = events.map((event, index) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
    const tenant = (event as { tenant?: unknown }).tenant;
    if (tenant === undefined) return { ...event, tenant: scope };
    if (tenant !== scope) details.push({ path: `events.${index}.tenant`, message: `expected ${scope} (the key's tenant) or nothing` });
    return event;
  });
  if (details.length > 0) throw outsideTenant(scope, details);
  return { ...body, events: scoped };
}

/** The tenant a read is limited to: the key's own, whether or not the query named it; another is a 403. */
export function scopeQueryTenant(requested: string | undefined, scope: string | undefined): string | undefined {
  if (scope === undefined) return requested;
  if (requested !== undefined && requested !== scope) {
    throw outsideTenant(scope, [{ path: 'tenant', message: `expected ${scope} (the key's tenant) or nothing` }]);
  }
  return scope;
}
