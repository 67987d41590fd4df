import type { AuditEvent } from '../contracts/audit-event';
import type { SendOutcome } from './send-batch';

export interface PiecesResult {
  /** `sent` when every event was stored or set aside as oversized; else the first failure of a piece. */
  outcome: Exclude<SendOutcome, { kind: 'too_large' }>;
  /** Events the service acknowledged. */
  sent: number;
  /** Events refused with 413 even alone: no retry can store them. */
  oversized: { event: AuditEvent; detail: string }[];
}

/**
 * Sends a batch, halving it whenever the service answers 413, so one large payload costs only itself.
 * On a failure part-way the pieces sent before it stay stored; the caller retries the whole batch, which
 * the service's event-id idempotency turns into storing only the rest.
 */
export async function sendInPieces(events: readonly AuditEvent[], send: (events: readonly AuditEvent[]) => Promise<SendOutcome>): Promise<PiecesResult> {
  const outcome = await send(events);
  if (outcome.kind === 'sent') return { outcome, sent: events.length, oversized: [] };
  if (outcome.kind !== 'too_large') return { outcome, sent: 0, oversized: [] };
  if (events.length === 1) return { outcome: { kind: 'sent' }, sent: 0, oversized: [{ event: events[0] as AuditEvent, detail: outcome.detail }] };
  const middle = Math.ceil(events.length / 2);
  const first = await sendInPieces(events.slice(0, middle), send);
  if (first.outcome.kind !== 'sent') return first;
  const second = await sendInPieces(events.slice(middle), send);
  return { outcome: second.outcome, sent: first.sent + second.sent, oversized: [...first.oversized, ...second.oversized] };
}
