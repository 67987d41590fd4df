import type { Selectable } from 'kysely';
import type { StoredAuditEvent } from '../../common/contracts/audit-event';
import { TEXT_FIELDS, type ChainedEvent } from '../ingest/stored-event';
import type { AuditEventsTable } from './audit-schema';

export type EventRow = Selectable<AuditEventsTable>;

/** A row back into the event that was hashed when it was written. */
export function chainedEventOf(row: EventRow): ChainedEvent {
  const event: ChainedEvent = {
    event_id: row.event_id,
    event_type: row.event_type,
    occurred_at: toDate(row.occurred_at).toISOString(),
    tenant: row.tenant,
  };
  for (const field of TEXT_FIELDS) {
    const value = row[field];
    if (value !== null) event[field] = value;
  }
  if (row.principal_id !== null) {
    event.principal = row.principal_type === null ? { id: row.principal_id } : { id: row.principal_id, type: row.principal_type };
  }
  if (row.latency_ms !== null) event.latency_ms = Number(row.latency_ms);
  if (row.payload !== null) event.payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
  return event;
}

/** A row as the query API returns it. */
export function storedEventOf(row: EventRow): StoredAuditEvent {
  return {
    ...chainedEventOf(row),
    seq: Number(row.seq),
    prev_hash: row.prev_hash,
    hash: row.hash,
    received_at: toDate(row.received_at).toISOString(),
  } as StoredAuditEvent;
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
