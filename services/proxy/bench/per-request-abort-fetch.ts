import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * A fetch for the SDK's HTTP client transport, as the bench's clients use it. The transport passes one
 * long-lived AbortSignal to every fetch; undici adds a listener to it per request and drops it only at garbage collection, so a busy session
 * piles up thousands of listeners (and a MaxListenersExceededWarning per request, written to stderr).
 * Here every request gets its own controller, and the session's signal has a single listener that
 * aborts whatever is still running. Long-lived GET streams stay registered until that abort.
 */
export function perRequestAbortFetch(base: FetchLike = fetch): FetchLike {
  const running = new Set<AbortController>();
  const linked = new WeakSet<AbortSignal>();
  return async (url, init) => {
    const outer = init?.signal;
    if (!outer) return base(url, init);
    if (!linked.has(outer)) {
      linked.add(outer);
      outer.addEventListener(
        'abort',
        () => {
          for (const controller of running) controller.abort(outer.reason);
          running.clear();
        },
        { once: true },
      );
    }
    const controller = new AbortController();
    if (outer.aborted) controller.abort(outer.reason);
    running.add(controller);
    try {
      return await base(url, { ...init, signal: controller.signal });
    } finally {
      if ((init?.method ?? 'GET') !== 'GET') running.delete(controller);
    }
  };
}
