import { oldestKeyOf } from '../../common/collections/oldest-key';

/**
 * What an endpoint prepares from a request body before deciding (the validated question, the policy
 * input and its canonical text), remembered by the body's exact text within a caller scope, so a
 * repeated question skips JSON parsing, validation and canonicalisation. Only preparation is
 * remembered, never a decision: each request is still decided (decision cache, TTL, revision), given
 * its own ids and audited. Preparing must be a pure function of (scope, text); anything that depends
 * on time, like verifying a token, stays outside. A body that fails to prepare (invalid) is never
 * remembered, so it is refused again every time.
 *
 * A text is remembered the second time it is seen, so unique bodies cost one set lookup and insert;
 * bodies over 16 KiB are not remembered. What is remembered is shared by the requests that repeat
 * it, so it is frozen.
 */
export type PreparedRequests<T> = (scope: string, rawBody: string | undefined, prepare: () => T) => T;

export function preparedRequests<T extends object>(maxEntries: number): PreparedRequests<T> {
  // One memo per scope, keyed by the body text itself: no key to build per request.
  const scopes = new Map<string, (rawBody: string, prepare: () => T) => T>();
  return (scope, rawBody, prepare) => {
    if (rawBody === undefined || maxEntries <= 0 || rawBody.length > MAX_REMEMBERED_BODY) return prepare();
    let memo = scopes.get(scope);
    if (memo === undefined) {
      if (scopes.size >= MAX_SCOPES) scopes.delete(scopes.keys().next().value as string);
      memo = scopeMemo(maxEntries);
      scopes.set(scope, memo);
    }
    return memo(rawBody, prepare);
  };
}

/** Longer bodies (in UTF-16 units) are prepared every time: a memo of large bodies would hold megabytes. */
const MAX_REMEMBERED_BODY = 16 * 1024;

/** Scopes (API-key tenants) with their own memo; beyond this the oldest is forgotten. */
const MAX_SCOPES = 16;

function scopeMemo<T extends object>(maxEntries: number): (rawBody: string, prepare: () => T) => T {
  const remembered = new Map<string, T>();
  const oldestRemembered = oldestKeyOf(remembered);
  const seenOnce = new Set<string>();
  const oldestSeen = oldestKeyOf(seenOnce);
  return (rawBody, prepare) => {
    const known = remembered.get(rawBody);
    if (known !== undefined) return known;
    if (!seenOnce.has(rawBody)) {
      if (seenOnce.size >= maxEntries) seenOnce.delete(oldestSeen() as string);
      seenOnce.add(rawBody);
      return prepare();
    }
    const prepared = deepFrozen(prepare());
    seenOnce.delete(rawBody);
    if (remembered.size >= maxEntries) remembered.delete(oldestRemembered() as string);
    remembered.set(rawBody, prepared);
    return prepared;
  };
}

function deepFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const member of Object.values(value)) deepFrozen(member);
  return Object.freeze(value);
}

/** Bodies remembered per endpoint: a gateway asks a few hundred distinct questions again and again. */
export const PREPARED_REQUESTS = 1000;
