import { sql } from 'kysely';
import type { IngestResult } from '../../common/contracts/audit-event';
import { canonicalEvent, chainHash } from '../ingest/event-hash';
import type { ChainedEvent } from '../ingest/stored-event';
import type { AuditDatabase } from './audit-database';
import type { Partitions } from './partitions';
import type { RecentEvents } from '../siem/recent-events';
import { copyTextOf, type ChainedRow, type CopyText } from './event-copy-text';
import { withStoreErrors } from './store-errors';
import { runWriteTransaction, type WriteTransaction } from './write-transaction';

/** Writes batches of prepared events: deduplicated, chained, with their outbox rows, in one transaction. */
export interface EventWriter {
  write(events: readonly ChainedEvent[]): Promise<IngestResult>;
}

export interface EventWriterDeps {
  database: AuditDatabase;
  partitions: Partitions;
  /** One delivery row per stored event and sink (the names of `AUDIT_SINKS`). */
  sinkNames: readonly string[];
  /** Given the events each commit stored, for the SIEM relays of this instance to send without reading them back. */
  recentEvents?: RecentEvents | undefined;
}

interface ChainHead {
  seq: number;
  hash: string;
}

/** An event ready for the insert, with the texts computed before the transaction: canonical (what the hash covers) and COPY. */
interface PendingEvent {
  event: ChainedEvent;
  canonical: string;
  copyText: CopyText;
}

export function createEventWriter(deps: EventWriterDeps): EventWriter {
  const sinks = [...deps.sinkNames];
  // Chain heads are never deleted: once a tenant's row exists, inserting it again is a wasted round trip.
  const knownTenants = new Set<string>();

  return {
    write: (events) =>
      withStoreErrors(async () => {
        const pending = uniqueById(events).map((event) => ({ event, canonical: canonicalEvent(event), copyText: copyTextOf(event) }));
        const days = pending.map(({ event }) => event.occurred_at.slice(0, 10));
        const attempt = async () => {
          await deps.partitions.ensureDays(days);
          const written = await runWriteTransaction(deps.database, (transaction) => writeInTransaction(transaction, pending, sinks, knownTenants));
          // Only a committed head row is visible to other transactions' locking reads.
          for (const { event } of pending) knownTenants.add(event.tenant);
          deps.recentEvents?.remember(written.map(({ event, canonical }) => ({ eventId: event.event_id, canonical, occurredAt: event.occurred_at })));
          return written.length;
        };
        let stored: number;
        try {
          stored = await attempt();
        } catch (error) {
          // Another instance's retention may have dropped a partition this one still remembered.
          if (!isMissingPartition(error)) throw error;
          for (const day of days) deps.partitions.forget(day);
          stored = await attempt();
        }
        return { accepted: stored, duplicates: events.length - stored };
      }),
  };
}

/**
 * Returns the events stored (those whose id was new). Deduplication and the outbox rows come first; the tenant's chain head is locked only for what needs it
 * (hashing, the event insert, the head update and the commit), which keeps a tenant's writers queued for
 * as short a time as possible.
 */
async function writeInTransaction(
  transaction: WriteTransaction,
  pending: PendingEvent[],
  sinks: string[],
  knownTenants: Set<string>,
): Promise<PendingEvent[]> {
  const fresh = await claimEventIds(transaction, pending, sinks);
  if (fresh.length === 0) return fresh;

  const tenants = [...new Set(fresh.map(({ event }) => event.tenant))].sort();
  const heads = await lockChainHeads(transaction, tenants, knownTenants);
  const rows = fresh.map(({ event, canonical, copyText }): ChainedRow => {
    const head = heads.get(event.tenant) as ChainHead;
    const row = { event, canonical, copyText, seq: head.seq + 1, prevHash: head.hash, hash: chainHash(head.hash, canonical) };
    heads.set(event.tenant, { seq: row.seq, hash: row.hash });
    return row;
  });
  await transaction.insertEventRows(rows);
  await advanceChainHeads(transaction, heads);
  return fresh;
}

/**
 * Locking heads in tenant order serializes each tenant's writers and cannot deadlock: the only other
 * locks a writer holds are on event ids it inserted itself, which a concurrent writer waits on only when
 * it carries the same ids, and then before it locks any head.
 */
async function lockChainHeads(transaction: WriteTransaction, tenants: string[], knownTenants: Set<string>): Promise<Map<string, ChainHead>> {
  const unknown = tenants.filter((tenant) => !knownTenants.has(tenant));
  if (unknown.length > 0) {
    await transaction.query(sql`insert into audit_chain_heads (tenant) select unnest(${unknown}::text[]) on conflict do nothing`);
  }
  const locked = await transaction.query(sql<{ tenant: string; last_seq: string | number; last_hash: string }>`
    select tenant, last_seq, last_hash from audit_chain_heads where tenant = any(${tenants}::text[]) order by tenant for update
  `);
  if (locked.length !== tenants.length) throw new Error('a chain head row is missing; the write is rolled back');
  return new Map(locked.map((row) => [row.tenant, { seq: Number(row.last_seq), hash: row.last_hash }]));
}

/**
 * The events whose id was not stored before, in batch order; with one outbox row per sink for each of them,
 * written by the same statement.
 */
async function claimEventIds(transaction: WriteTransaction, pending: PendingEvent[], sinks: string[]): Promise<PendingEvent[]> {
  const events = pending.map(({ event }) => event);
  const claimed = await transaction.query(sql<{ event_id: string }>`
    with claimed as (
      insert into audit_event_ids (event_id, tenant, occurred_at)
      select * from unnest(${events.map((e) => e.event_id)}::uuid[], ${events.map((e) => e.tenant)}::text[], ${events.map((e) => e.occurred_at)}::timestamptz[])
      on conflict (event_id) do nothing
      returning event_id, tenant, occurred_at
    ), outbox as (
      insert into audit_deliveries (event_id, sink, tenant, occurred_at)
      select c.event_id, s.sink, c.tenant, c.occurred_at from claimed c cross join unnest(${sinks}::text[]) as s(sink)
    )
    select event_id from claimed
  `);
  if (claimed.length === pending.length) return pending;
  const fresh = new Set(claimed.map((row) => row.event_id));
  return pending.filter(({ event }) => fresh.has(event.event_id));
}

async function advanceChainHeads(transaction: WriteTransaction, heads: Map<string, ChainHead>): Promise<void> {
  const entries = [...heads];
  await transaction.query(sql`
    update audit_chain_heads as h set last_seq = v.last_seq, last_hash = v.last_hash
    from unnest(${entries.map(([tenant]) => tenant)}::text[], ${entries.map(([, head]) => head.seq)}::bigint[], ${entries.map(([, head]) => head.hash)}::text[])
      as v(tenant, last_seq, last_hash)
    where h.tenant = v.tenant
  `);
}

function isMissingPartition(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23514' && /no partition/i.test(error instanceof Error ? error.message : '');
}

function uniqueById(events: readonly ChainedEvent[]): ChainedEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.event_id) && seen.add(event.event_id) !== undefined);
}
