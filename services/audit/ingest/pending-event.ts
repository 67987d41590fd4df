import { copyTextOf, type CopyText } from '../store/event-copy-text';
import { canonicalEvent } from './event-hash';
import type { ChainedEvent } from './stored-event';

/**
 * What the writer needs of a prepared event: its identity and the texts computed before the transaction,
 * canonical (what the hash covers) and COPY. A batch stays in flight for a whole transaction; holding these
 * few strings instead of the event's objects (nested payload included) leaves the garbage collector less
 * to copy from one young generation to the next and then to promote.
 */
export interface PendingEvent {
  eventId: string;
  tenant: string;
  occurredAt: string;
  canonical: string;
  copyText: CopyText;
}

export function pendingEventOf(event: ChainedEvent): PendingEvent {
  return { eventId: event.event_id, tenant: event.tenant, occurredAt: event.occurred_at, canonical: canonicalEvent(event), copyText: copyTextOf(event) };
}
