import type { JsonEndpoint, PostRoute } from '../endpoints/json-endpoint';

export interface MatchedRoute {
  /** The express pattern, used as the metrics `route` label. */
  pattern: string;
  endpoint: JsonEndpoint;
  failureBody: PostRoute['failureBody'];
  /** Raw (still encoded) segments after a `/*path` prefix. */
  rest: string | undefined;
}

const WILDCARD = '/*path';

/** Exact-path lookup of the POST endpoints (the fast path leaves anything else to express). */
export function postRouteTable(routes: readonly PostRoute[]): (pathname: string) => Readonly<MatchedRoute> | undefined {
  const exact = new Map<string, MatchedRoute>();
  const prefixed: { prefix: string; pattern: string; endpoint: JsonEndpoint; failureBody: PostRoute['failureBody'] }[] = [];
  for (const { paths, endpoint, failureBody } of routes) {
    for (const pattern of paths) {
      if (pattern.endsWith(WILDCARD)) prefixed.push({ prefix: pattern.slice(0, -WILDCARD.length + 1), pattern, endpoint, failureBody });
      else exact.set(pattern, Object.freeze({ pattern, endpoint, failureBody, rest: undefined }));
    }
  }
  return (pathname) => {
    const found = exact.get(pathname);
    if (found) return found;
    for (const candidate of prefixed) {
      if (pathname.length > candidate.prefix.length && pathname.startsWith(candidate.prefix)) {
        return { pattern: candidate.pattern, endpoint: candidate.endpoint, failureBody: candidate.failureBody, rest: pathname.slice(candidate.prefix.length) };
      }
    }
    return undefined;
  };
}
