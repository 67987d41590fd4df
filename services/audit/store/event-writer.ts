import { sql } from 'kysely';
import type { IngestResult } from '../../common/contracts/audit-event';
import { chainHash } from '../ingest/event-hash';
import type { PendingEvent } from '../ingest/pending-event';
import type { AuditDatabase } from './audit-database';
import type { Partitions } from './partitions';
import type { RecentEvents } from '../siem/recent-events';
import { FIRST_ATTEMPT, type ClaimReservation, type IngestClaims } from '../siem/ingest-claims';
import { createChainTurns, type BatchTurn, type ChainHead, type ChainTurns } from './chain-turns';
import type { ChainedRow } from './event-copy-text';
import { withStoreErrors } from './store-errors';
import { runWriteTransaction, type WriteTransaction } from './write-transaction';

/** Writes batches of prepared events: deduplicated, chained, with their outbox rows, in one transaction. */
export interface EventWriter {
  write(events: readonly PendingEvent[]): Promise<IngestResult>;
}

export interface EventWriterDeps {
  database: AuditDatabase;
  partitions: Partitions;
  /** One delivery row per stored event and sink (the names of `AUDIT_SINKS`). */
  sinkNames: readonly string[];
  /** Given the events each commit stored, for the SIEM relays of this instance to send without reading them back. */
  recentEvents?: RecentEvents | undefined;
  /** This instance's relays: a sink's rows are written already claimed by its relay when it has room (`siem/ingest-claims.ts`). */
  ingestClaims?: IngestClaims | undefined;
}

/** A batch checked its tenants' heads before committing and found them moved: it is written again. */
class ChainMovedError extends Error {
  constructor(
    readonly tenants: string[],
    /** Every earlier batch of this process for these tenants committed: another instance moved the heads. */
    readonly byAnotherWriter: boolean,
  ) {
    super(`the chain heads of ${tenants.join(', ')} moved while the batch was written`);
  }
}

/** Attempts of a batch whose heads moved; the second locks the heads first, so it cannot find them moved. */
const MAX_CHAIN_ATTEMPTS = 3;

/** How one sink's outbox rows of a batch are written: `pending`, or `in_flight` with a relay's lease. */
interface OutboxSink {
  sink: string;
  status: 'pending' | 'in_flight';
  attempts: number;
  leaseMs: number;
}

/** A delivery row written `in_flight` (claimed on insert). */
interface ClaimedRow {
  deliveryId: string;
  eventId: string;
  sink: string;
}

export function createEventWriter(deps: EventWriterDeps): EventWriter {
  const sinks = [...deps.sinkNames];
  // Chain heads are never deleted: once a tenant's row exists, inserting it again is a wasted round trip.
  const knownTenants = new Set<string>();
  const turns = createChainTurns();

  return {
    write: (events) =>
      withStoreErrors(async () => {
        const pending = uniqueById(events);
        const days = pending.map(({ occurredAt }) => occurredAt.slice(0, 10));
        const reservations = reserveClaims(deps.ingestClaims, sinks, pending);
        const outbox = sinks.map((sink): OutboxSink => {
          const reservation = reservations.get(sink);
          return reservation
            ? { sink, status: 'in_flight', attempts: FIRST_ATTEMPT, leaseMs: reservation.leaseMs }
            : { sink, status: 'pending', attempts: 0, leaseMs: 0 };
        });
        let handedOver = false;
        const attempt = async () => {
          await deps.partitions.ensureDays(days);
          const taken: { turn?: BatchTurn } = {};
          let written: Written;
          try {
            written = await runWriteTransaction(deps.database, (transaction) => writeInTransaction(transaction, { pending, outbox, knownTenants, turns, taken }));
          } catch (error) {
            taken.turn?.done(false);
            throw error;
          }
          taken.turn?.done(true);
          // Only a committed head row is visible to other transactions' locking reads.
          for (const { tenant } of pending) knownTenants.add(tenant);
          // Rows handed over carry their events' texts; only a sink whose rows were written `pending` claims them
          // later and looks the texts up here. Holding every event for a while had the garbage collector copy
          // and promote all of them.
          if (reservations.size < sinks.length) deps.recentEvents?.remember(written.fresh);
          handedOver = true;
          handOver(reservations, written);
          return written.fresh.length;
        };
        let stored: number;
        try {
          stored = await withRetries(attempt, {
            // Another instance's retention may have dropped a partition this one still remembered.
            onMissingPartition: () => days.forEach((day) => deps.partitions.forget(day)),
            onChainMoved: (error) => {
              if (error.byAnotherWriter) turns.contended(error.tenants);
            },
          });
        } finally {
          if (!handedOver) for (const reservation of reservations.values()) reservation.cancel();
        }
        return { accepted: stored, duplicates: events.length - stored };
      }),
  };
}

function reserveClaims(claims: IngestClaims | undefined, sinks: string[], pending: PendingEvent[]): Map<string, ClaimReservation> {
  if (!claims || sinks.length === 0 || pending.length === 0) return new Map();
  let chars = 0;
  for (const { canonical } of pending) chars += canonical.length;
  return claims.reserve(sinks, pending.length, chars);
}

/** Gives each relay that reserved room the rows written claimed for it, with their events' texts. */
function handOver(reservations: Map<string, ClaimReservation>, written: Written): void {
  if (reservations.size === 0) return;
  const byId = new Map(written.fresh.map((entry) => [entry.eventId, entry]));
  for (const [sink, reservation] of reservations) {
    const rows = written.claimed
      .filter((row) => row.sink === sink)
      .map((row) => {
        const { canonical, occurredAt } = byId.get(row.eventId) as PendingEvent;
        return { id: row.deliveryId, eventId: row.eventId, canonical, occurredAt };
      });
    reservation.handOver(rows);
  }
}

interface Written {
  /** The events stored (those whose id was new), in batch order. */
  fresh: PendingEvent[];
  claimed: ClaimedRow[];
}

interface WriteContext {
  pending: PendingEvent[];
  outbox: OutboxSink[];
  knownTenants: Set<string>;
  turns: ChainTurns;
  /** The batch's turn, once taken: the caller ends it after the commit or the rollback. */
  taken: { turn?: BatchTurn };
}

/**
 * Returns the events stored (those whose id was new) and the delivery rows written claimed. Deduplication
 * and the outbox rows come first. The events then chain from the links the batch before them in this
 * process left (`chain-turns.ts`) and are inserted while that batch may still be inserting its own; only
 * the check that those links are still the tenants' heads, the head update and the commit wait for it.
 * When the links are unknown (the first batch of a tenant, after a failure, while another instance writes
 * the tenant) the heads are locked and read first, and the tenant's writers queue on those locks.
 */
async function writeInTransaction(transaction: WriteTransaction, context: WriteContext): Promise<Written> {
  const written = await claimEventIds(transaction, context.pending, context.outbox);
  const { fresh } = written;
  if (fresh.length === 0) return written;

  const tenants = [...new Set(fresh.map(({ tenant }) => tenant))].sort();
  const turn = context.turns.take(tenants);
  context.taken.turn = turn;
  const bases = await turn.bases;
  const lockFirst = [...bases.values()].some((base) => base === undefined);
  if (lockFirst) await turn.earlierDone;
  const heads = lockFirst ? await lockChainHeads(transaction, tenants, context.knownTenants) : new Map(bases as Map<string, ChainHead>);
  const rows = fresh.map(({ tenant, canonical, copyText }): ChainedRow => {
    const head = heads.get(tenant) as ChainHead;
    const row = { canonical, copyText, seq: head.seq + 1, prevHash: head.hash, hash: chainHash(head.hash, canonical) };
    heads.set(tenant, { seq: row.seq, hash: row.hash });
    return row;
  });
  turn.extend(heads);
  await transaction.insertEventRows(rows);
  if (!lockFirst) await checkHeadsUnmoved(transaction, context.knownTenants, turn, bases as Map<string, ChainHead>);
  await advanceChainHeads(transaction, heads);
  return written;
}

/** After the batches before it: the heads, locked now, must still be the links this batch chained from. */
async function checkHeadsUnmoved(
  transaction: WriteTransaction,
  knownTenants: Set<string>,
  turn: BatchTurn,
  starts: ReadonlyMap<string, ChainHead>,
): Promise<void> {
  const earlierCommitted = await turn.earlierDone;
  const tenants = [...starts.keys()];
  const locked = await lockChainHeads(transaction, tenants, knownTenants);
  const moved = tenants.filter((tenant) => {
    const [start, head] = [starts.get(tenant) as ChainHead, locked.get(tenant) as ChainHead];
    return start.seq !== head.seq || start.hash !== head.hash;
  });
  if (moved.length > 0) throw new ChainMovedError(moved, earlierCommitted);
}

/**
 * Locking heads in tenant order serializes each tenant's commits and cannot deadlock: the only other
 * locks a writer holds are on event ids it inserted itself, which a concurrent writer waits on only when
 * it carries the same ids, and then before it takes its turn or locks any head; and a writer waits for
 * the batches before it in this process (`chain-turns.ts`) only before it locks a head, never while
 * holding one.
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
 * written by the same statement: `pending`, or `in_flight` with the lease and attempt count a relay's claim
 * would give them (those rows' ids come back, one result row per event and claimed sink).
 */
async function claimEventIds(transaction: WriteTransaction, pending: PendingEvent[], outbox: OutboxSink[]): Promise<Written> {
  const rows = await transaction.query(sql<{ event_id: string; delivery_id: string | number | null; sink: string | null }>`
    with claimed as (
      insert into audit_event_ids (event_id, tenant, occurred_at)
      select * from unnest(${pending.map((e) => e.eventId)}::uuid[], ${pending.map((e) => e.tenant)}::text[], ${pending.map((e) => e.occurredAt)}::timestamptz[])
      on conflict (event_id) do nothing
      returning event_id, tenant, occurred_at
    ), outbox as (
      insert into audit_deliveries (event_id, sink, tenant, occurred_at, status, attempts, next_attempt_at)
      select c.event_id, s.sink, c.tenant, c.occurred_at, s.status, s.attempts, now() + s.lease_ms * interval '1 millisecond'
      from claimed c
      cross join unnest(${outbox.map((o) => o.sink)}::text[], ${outbox.map((o) => o.status)}::text[], ${outbox.map((o) => o.attempts)}::int[], ${outbox.map((o) => o.leaseMs)}::float8[])
        as s(sink, status, attempts, lease_ms)
      returning id, event_id, sink, status
    )
    select c.event_id, o.id as delivery_id, o.sink from claimed c left join outbox o on o.event_id = c.event_id and o.status = 'in_flight'
  `);
  const claimed = rows.flatMap((row) => (row.delivery_id === null ? [] : [{ deliveryId: String(row.delivery_id), eventId: row.event_id, sink: row.sink as string }]));
  const fresh = new Set(rows.map((row) => row.event_id));
  if (fresh.size === pending.length) return { fresh: pending, claimed };
  return { fresh: pending.filter(({ eventId }) => fresh.has(eventId)), claimed };
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

/** Runs `attempt` again after a dropped partition (once) or moved chain heads (up to `MAX_CHAIN_ATTEMPTS` in all). */
async function withRetries<T>(
  attempt: () => Promise<T>,
  handlers: { onMissingPartition: () => void; onChainMoved: (error: ChainMovedError) => void },
): Promise<T> {
  let partitionRetried = false;
  for (let chainAttempts = 1; ; ) {
    try {
      return await attempt();
    } catch (error) {
      if (isMissingPartition(error) && !partitionRetried) {
        partitionRetried = true;
        handlers.onMissingPartition();
      } else if (error instanceof ChainMovedError && chainAttempts < MAX_CHAIN_ATTEMPTS) {
        chainAttempts++;
        handlers.onChainMoved(error);
      } else {
        throw error;
      }
    }
  }
}

function isMissingPartition(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23514' && /no partition/i.test(error instanceof Error ? error.message : '');
}

function uniqueById(events: readonly PendingEvent[]): PendingEvent[] {
  const seen = new Set<string>();
  return events.filter(({ eventId }) => !seen.has(eventId) && seen.add(eventId) !== undefined);
}
