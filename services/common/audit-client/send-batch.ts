import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { AuditEvent } from '../contracts/audit-event';
import { retryAfterMs } from './retry-after';

const gzipAsync = promisify(gzip);
// Batches of JSON events compress well even at the fastest level, which costs a fraction of the default
// level's CPU: the PDP and proxy send one batch per few hundred decisions, so this is per-decision CPU.
const GZIP_OPTIONS = { level: constants.Z_BEST_SPEED };

/**
 * `sent`: acknowledged. `retry`: try again later (network, timeout, 408, 429, 5xx, 401/403), not before
 * `retryAfterMs` when a 429 or 503 said so. `too_large`: 413, smaller batches may pass. `rejected`: never valid.
 */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; detail: string; retryAfterMs?: number }
  | { kind: 'too_large'; detail: string }
  | { kind: 'rejected'; status: number; detail: string };

export interface SendOptions {
  url: string;
  apiKey: string | undefined;
  timeoutMs: number;
  fetch: typeof fetch;
}

/**
 * POSTs a gzipped batch to `/v1/events`. An authentication failure is retried rather than dropped: a key
 * being rotated must not cost the audit trail; it shows in the logs and the spool grows until it is fixed.
 */
export async function sendBatch(events: readonly AuditEvent[], options: SendOptions): Promise<SendOutcome> {
  const body = await gzipAsync(Buffer.from(JSON.stringify({ events })), GZIP_OPTIONS);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let response: Response;
  try {
    response = await options.fetch(eventsUrl(options.url), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    return { kind: 'retry', detail: error instanceof Error ? `${error.name}: ${error.message}` : 'request failed' };
  }
  const text = await response.text().catch(() => '');
  if (response.status === 202) return { kind: 'sent' };
  const detail = `HTTP ${response.status} ${text.slice(0, 300)}`;
  if (response.status === 413) return { kind: 'too_large', detail };
  if (response.status === 429 || response.status === 503) {
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return wait === undefined ? { kind: 'retry', detail } : { kind: 'retry', detail, retryAfterMs: wait };
  }
  if (response.status >= 500 || [401, 403, 408].includes(response.status)) return { kind: 'retry', detail };
  return { kind: 'rejected', status: response.status, detail };
}

/** `…/v1/events` under the base URL, keeping any path prefix a reverse proxy puts in front of the service. */
export function eventsUrl(base: string): URL {
  return new URL('v1/events', base.endsWith('/') ? base : `${base}/`);
}
