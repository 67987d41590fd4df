import { HttpError, parseJsonBody, parseRequest } from '../../common';
import { auditEventBatchEnvelopeSchema } from '../../common/contracts/audit-event';
import { scopeBatchToTenant } from '../http/tenant-access';
import { prepareBatch } from './batch-preparation';
import type { PendingEvent } from './pending-event';
import type { Redactor } from './redaction';

/**
 * A `POST /v1/events` request as read off the wire: its body's bytes (already inflated), not yet decoded or
 * parsed, so that all of that can happen in a preparation worker (`preparation-workers.ts`).
 */
export interface BatchBody {
  /** Undefined when the request carried no JSON body. */
  bytes: Uint8Array | undefined;
  /** The `charset` parameter of the request's content type, lower-cased; undefined means UTF-8. */
  charset: string | undefined;
  /** The tenant the caller's API key is bound to, if any (`scopeBatchToTenant`). */
  scope: string | undefined;
}

/**
 * The body's events, ready for the writer: decoded, parsed as express.json would (400 `invalid_json`, nesting
 * limit), scoped to the key's tenant, checked against the batch envelope, then validated and prepared.
 */
export async function pendingEventsOfBody(body: BatchBody, redactor: Redactor): Promise<PendingEvent[]> {
  const parsed = body.bytes === undefined ? undefined : parseJsonBody(decode(body.bytes, body.charset));
  const scoped = body.scope === undefined ? parsed : scopeBatchToTenant(parsed, body.scope);
  return prepareBatch(parseRequest(auditEventBatchEnvelopeSchema, scoped).events, redactor);
}

/**
 * JSON is UTF-8; body-parser also takes the other UTF encodings, and so does this (TextDecoder drops a byte
 * order mark, as body-parser does). Any other charset is a 415.
 */
function decode(bytes: Uint8Array, charset = 'utf-8'): string {
  if (!charset.startsWith('utf-')) throw unsupportedCharset();
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    throw unsupportedCharset();
  }
}

function unsupportedCharset(): HttpError {
  return new HttpError(415, 'unsupported_encoding', 'request body encoding is not supported');
}
