// A server asking for more than this is misconfigured; the spool covers the wait, but events should not
// sit there for hours because of one header.
const LONGEST_HONOURED_MS = 10 * 60_000;

/**
 * Milliseconds a `Retry-After` header asks the client to wait: delay-seconds or an HTTP date (RFC 9110
 * 10.2.3), capped at ten minutes. Undefined when the header is absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    // Every HTTP-date form starts with the day name; Date.parse alone would take "-5" for a year.
    const at = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, LONGEST_HONOURED_MS);
}
