import { sql } from 'kysely';
import type { AuditDatabase } from '../store/audit-database';
import { chainedEventOf, type EventRow } from '../store/event-row';
import { forwardedFromCanonical, forwardedFromRow, type ForwardedEvent } from './forwarded-event';
import type { RecentEvents } from './recent-events';

/** A delivery row the relay holds (status `in_flight` until its lease, `next_attempt_at`, expires). */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  /** Attempts including this one. */
  attempts: number;
  /** Undefined when the event is no longer stored (its partition was dropped by retention). */
  event: ForwardedEvent | undefined;
}

export interface RetryEntry {
  id: string;
  delayMs: number;
  error: string;
}

export interface DeadEntry {
  id: string;
  error: string;
}

/**
 * The outbox as the relay uses it: rows are claimed one by one with `FOR UPDATE SKIP LOCKED` (so relays
 * never wait on or take each other's rows) and each row's outcome is recorded on that row; there is no
 * high-water mark that a late-committing ingest transaction could slip under.
 */
export interface DeliveryQueue {
  /** Up to `limit` due rows of the sink, now `in_flight`, each with its event (held in memory or read back). */
  claim(sink: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Rows whose lease ran out (their relay died) become due again. */
  releaseExpiredLeases(sink: string): Promise<number>;
  /** Delivered rows are deleted: the outbox holds only work left to do, so it stays small at ingest rates. */
  markDelivered(ids: readonly string[]): Promise<void>;
  scheduleRetry(entries: readonly RetryEntry[]): Promise<void>;
  /** Puts rows back without counting the attempt (the sink was never asked, e.g. its breaker is open). */
  release(ids: readonly string[], delayMs: number): Promise<void>;
  deadLetter(entries: readonly DeadEntry[]): Promise<void>;
  /** Seconds since the oldest row still waiting for the sink was queued; 0 when nothing waits. */
  lagSeconds(sink: string): Promise<number>;
}

/** What an event needs to be sent (`chainedEventOf`); the chain columns stay in the database. */
const EVENT_COLUMNS = [
  'event_id', 'tenant', 'event_type', 'occurred_at', 'decision', 'principal_id', 'principal_type', 'agent_id', 'action', 'server',
  'tool', 'uri', 'prompt', 'reason', 'revision', 'decision_id', 'request_id', 'session_id', 'latency_ms', 'outcome', 'error', 'payload',
].map((column) => `e.${column}`).join(', ');

interface ClaimedRow {
  id: string | number;
  event_id: string;
  attempts: number;
}

/**
 * `recentEvents`: what this instance's ingest committed last; claimed rows of those events are sent from
 * there, and only the others are read back from `audit_events`.
 */
export function createDeliveryQueue(database: AuditDatabase, recentEvents?: RecentEvents): DeliveryQueue {
  const db = database.db;

  /** The stored events of claimed rows (by delivery id), read back; a row whose event is gone has none. */
  async function storedEvents(deliveryIds: readonly string[]): Promise<Map<string, ForwardedEvent>> {
    const result = await sql<EventRow & { delivery_id: string | number }>`
      select ${sql.raw(EVENT_COLUMNS)}, d.id as delivery_id
      from audit_deliveries d
      join audit_events e on e.tenant = d.tenant and e.occurred_at = d.occurred_at and e.event_id = d.event_id
      where d.id = any(${deliveryIds}::bigint[])
    `.execute(db);
    return new Map(result.rows.map((row) => [String(row.delivery_id), forwardedFromRow(chainedEventOf(row))]));
  }

  async function release(ids: readonly string[], delayMs: number): Promise<void> {
    if (ids.length === 0) return;
    await sql`
      update audit_deliveries
      set status = 'pending', attempts = greatest(attempts - 1, 0), next_attempt_at = now() + ${delayMs} * interval '1 millisecond'
      where id = any(${ids}::bigint[]) and status = 'in_flight'
    `.execute(db);
  }

  return {
    async claim(sink, limit, leaseMs) {
      const result = await sql<ClaimedRow>`
        with due as (
          select id from audit_deliveries
          where sink = ${sink} and status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at
          limit ${limit}
          for update skip locked
        ), claimed as (
          update audit_deliveries d
          set status = 'in_flight', attempts = d.attempts + 1, next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
          from due where d.id = due.id
          returning d.id, d.event_id, d.attempts
        )
        select id, event_id, attempts from claimed order by id
      `.execute(db);
      const claimed = result.rows.map((row): ClaimedDelivery => {
        const recent = recentEvents?.get(row.event_id);
        return {
          id: String(row.id),
          eventId: row.event_id,
          attempts: Number(row.attempts),
          event: recent ? forwardedFromCanonical(row.event_id, recent.canonical, recent.occurredAt) : undefined,
        };
      });
      const unknown = claimed.filter((row) => !row.event).map((row) => row.id);
      if (unknown.length > 0) {
        // Claimed rows left unsent would wait for their lease to run out: they go back at once instead.
        const stored = await storedEvents(unknown).catch(async (error: unknown) => {
          await release(claimed.map((row) => row.id), 0).catch(() => undefined);
          throw error;
        });
        for (const row of claimed) row.event ??= stored.get(row.id);
      }
      return claimed;
    },

    async releaseExpiredLeases(sink) {
      const result = await sql`
        update audit_deliveries set status = 'pending'
        where sink = ${sink} and status = 'in_flight' and next_attempt_at <= now()
      `.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },

    async markDelivered(ids) {
      if (ids.length === 0) return;
      await sql`delete from audit_deliveries where id = any(${ids}::bigint[]) and status = 'in_flight'`.execute(db);
    },

    async scheduleRetry(entries) {
      if (entries.length === 0) return;
      await sql`
        update audit_deliveries d
        set status = 'pending', next_attempt_at = now() + v.delay_ms * interval '1 millisecond', last_error = v.error
        from unnest(${entries.map((e) => e.id)}::bigint[], ${entries.map((e) => e.delayMs)}::float8[], ${entries.map((e) => e.error)}::text[])
          as v(id, delay_ms, error)
        where d.id = v.id and d.status = 'in_flight'
      `.execute(db);
    },

    release,

    async deadLetter(entries) {
      if (entries.length === 0) return;
      await sql`
        with dead as (
          update audit_deliveries d set status = 'dead', last_error = v.error
          from unnest(${entries.map((e) => e.id)}::bigint[], ${entries.map((e) => e.error)}::text[]) as v(id, error)
          where d.id = v.id and d.status = 'in_flight'
          returning d.event_id, d.sink, d.tenant, d.occurred_at, d.attempts, d.last_error
        )
        insert into audit_dead_letters (event_id, sink, tenant, occurred_at, attempts, last_error)
        select event_id, sink, tenant, occurred_at, attempts, last_error from dead
        on conflict (event_id, sink) do update
          set attempts = excluded.attempts, last_error = excluded.last_error, dead_at = now(), redriven_at = null
      `.execute(db);
    },

    async lagSeconds(sink) {
      // The row due first is the oldest one waiting unless it was retried; retried rows wait by design.
      const result = await sql<{ seconds: number | string | null }>`
        select extract(epoch from now() - least(
          (select created_at from audit_deliveries where sink = ${sink} and status = 'pending' order by next_attempt_at limit 1),
          (select min(created_at) from audit_deliveries where sink = ${sink} and status = 'in_flight')
        ))::float8 as seconds
      `.execute(db);
      return Math.max(Number(result.rows[0]?.seconds ?? 0), 0);
    },
  };
}
