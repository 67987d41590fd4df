import { isLoopbackHost } from '../../common';

/**
 * Which browser origins may call the proxy (DNS-rebinding defence). Explicit `PROXY_ALLOWED_ORIGINS`
 * win; otherwise a proxy bound to loopback admits only localhost origins, and one bound elsewhere none.
 */
export interface OriginPolicy {
  allows(origin: string): boolean;
}

export function createOriginPolicy(allowed: readonly string[], listenHost: string): OriginPolicy {
  const explicit = new Set(allowed.map((origin) => origin.replace(/\/$/, '')));
  const localOnly = explicit.size === 0 && isLoopbackHost(listenHost);
  return {
    allows(origin) {
      if (explicit.has('*') || explicit.has(origin)) return true;
      if (!localOnly) return false;
      try {
        const url = new URL(origin);
        return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      } catch {
        return false;
      }
    },
  };
}
