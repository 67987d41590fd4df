/** When a failed delivery is tried again: exponential backoff with full jitter, or the sink's Retry-After. */

export interface BackoffSettings {
  base_ms: number;
  max_ms: number;
}

/** Longest Retry-After honoured; a sink asking for more is retried after this (and counts the attempt). */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** "Full jitter": uniformly random between 0 and the capped exponential delay of this attempt (1-based). */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const exponential = settings.base_ms * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  return Math.floor(random() * Math.min(settings.max_ms, exponential));
}

/** The delay a `Retry-After` header asks for (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(date - now, 0), MAX_RETRY_AFTER_MS);
}

/** The delay before the next attempt: what the sink asked for when it did, else backoff. */
export function nextAttemptDelayMs(attempt: number, settings: BackoffSettings, askedMs: number | undefined, random?: () => number): number {
  return askedMs !== undefined ? askedMs : backoffDelayMs(attempt, settings, random);
}

/** Statuses worth retrying: the request timed out, the sink is throttling, or it failed on its side. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
