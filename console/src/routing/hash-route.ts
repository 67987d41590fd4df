import { useEffect, useState } from 'preact/hooks';

/** A location inside the console: `#/audit?decision=deny` → `{ page: 'audit', params: {decision: 'deny'} }`. */
export interface Route {
  page: string;
  params: URLSearchParams;
}

export function parseHash(hash: string, fallback: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const queryAt = text.indexOf('?');
  const page = (queryAt < 0 ? text : text.slice(0, queryAt)) || fallback;
  return { page, params: new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1)) };
}

export function hrefOf(page: string, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const query = search.toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}

/** The console keeps its place in the URL fragment, so the PDP serves one page and links still work. */
export function useHashRoute(fallback: string): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash, fallback));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash, fallback));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, [fallback]);
  return route;
}
