import { sql, type Transaction } from 'kysely';
import type { IngestResult } from '../../common/contracts/audit-event';
import { chainHash } from '../ingest/event-hash';
import type { ChainedEvent } from '../ingest/stored-event';
import type { AuditDatabase } from './audit-database';
import type { AuditSchema } from './audit-schema';
import type { Partitions } from './partitions';
import { withStoreErrors } from './store-errors';

/** Writes batches of prepared events: deduplicated, chained, with their outbox rows, in one transaction. */
export interface EventWriter {
  write(events: readonly ChainedEvent[]): Promise<IngestResult>;
}

export interface EventWriterDeps {
  database: AuditDatabase;
  partitions: Partitions;
  /** One delivery row per stored event and sink (the names of `AUDIT_SINKS`). */
  sinkNames: readonly string[];
}

interface ChainHead {
  seq: number;
  hash: string;
}

/** Row columns in the order of the JSON objects handed to `json_populate_recordset`. */
const EVENT_COLUMNS = [
  'event_id', 'tenant', 'seq', 'event_type', 'occurred_at', 'decision', 'principal_id', 'principal_type', 'agent_id',
  'action', 'server', 'tool', 'uri', 'prompt', 'reason', 'revision', 'decision_id', 'request_id', 'session_id',
  'latency_ms', 'outcome', 'error', 'payload', 'prev_hash', 'hash',
].join(', ');

export function createEventWriter(deps: EventWriterDeps): EventWriter {
  const sinks = [...deps.sinkNames];
  return {
    write: (events) =>
      withStoreErrors(async () => {
        const unique = uniqueById(events);
        await deps.partitions.ensureDays(unique.map((event) => event.occurred_at.slice(0, 10)));
        const stored = await deps.database.db.transaction().execute((trx) => writeInTransaction(trx, unique, sinks));
        return { accepted: stored, duplicates: events.length - stored };
      }),
  };
}

async function writeInTransaction(trx: Transaction<AuditSchema>, events: ChainedEvent[], sinks: string[]): Promise<number> {
  const tenants = [...new Set(events.map((event) => event.tenant))].sort();
  const heads = await lockChainHeads(trx, tenants);
  const fresh = await claimEventIds(trx, events);
  if (fresh.length === 0) return 0;

  const rows = fresh.map((event) => {
    const head = heads.get(event.tenant) as ChainHead;
    const hash = chainHash(head.hash, event);
    const row = eventRow(event, head.seq + 1, head.hash, hash);
    heads.set(event.tenant, { seq: head.seq + 1, hash });
    return row;
  });
  await sql`
    insert into audit_events (${sql.raw(EVENT_COLUMNS)})
    select ${sql.raw(EVENT_COLUMNS)} from json_populate_recordset(null::audit_events, ${JSON.stringify(rows)}::json)
  `.execute(trx);
  if (sinks.length > 0) await insertDeliveries(trx, fresh, sinks);
  await advanceChainHeads(trx, heads);
  return fresh.length;
}

/** Locking heads in tenant order serializes each tenant's writers and cannot deadlock. */
async function lockChainHeads(trx: Transaction<AuditSchema>, tenants: string[]): Promise<Map<string, ChainHead>> {
  await sql`insert into audit_chain_heads (tenant) select unnest(${tenants}::text[]) on conflict do nothing`.execute(trx);
  const locked = await sql<{ tenant: string; last_seq: string | number; last_hash: string }>`
    select tenant, last_seq, last_hash from audit_chain_heads where tenant = any(${tenants}::text[]) order by tenant for update
  `.execute(trx);
  return new Map(locked.rows.map((row) => [row.tenant, { seq: Number(row.last_seq), hash: row.last_hash }]));
}

/** The events whose id was not stored before, in batch order. */
async function claimEventIds(trx: Transaction<AuditSchema>, events: ChainedEvent[]): Promise<ChainedEvent[]> {
  const claimed = await sql<{ event_id: string }>`
    insert into audit_event_ids (event_id, tenant, occurred_at)
    select * from unnest(${events.map((e) => e.event_id)}::uuid[], ${events.map((e) => e.tenant)}::text[], ${events.map((e) => e.occurred_at)}::timestamptz[])
    on conflict (event_id) do nothing
    returning event_id
  `.execute(trx);
  const fresh = new Set(claimed.rows.map((row) => row.event_id));
  return events.filter((event) => fresh.has(event.event_id));
}

async function insertDeliveries(trx: Transaction<AuditSchema>, events: ChainedEvent[], sinks: string[]): Promise<void> {
  await sql`
    insert into audit_deliveries (event_id, sink, tenant, occurred_at)
    select e.event_id, s.sink, e.tenant, e.occurred_at
    from unnest(${events.map((e) => e.event_id)}::uuid[], ${events.map((e) => e.tenant)}::text[], ${events.map((e) => e.occurred_at)}::timestamptz[])
      as e(event_id, tenant, occurred_at)
    cross join unnest(${sinks}::text[]) as s(sink)
  `.execute(trx);
}

async function advanceChainHeads(trx: Transaction<AuditSchema>, heads: Map<string, ChainHead>): Promise<void> {
  const entries = [...heads];
  await sql`
    update audit_chain_heads as h set last_seq = v.last_seq, last_hash = v.last_hash
    from unnest(${entries.map(([tenant]) => tenant)}::text[], ${entries.map(([, head]) => head.seq)}::bigint[], ${entries.map(([, head]) => head.hash)}::text[])
      as v(tenant, last_seq, last_hash)
    where h.tenant = v.tenant
  `.execute(trx);
}

function eventRow(event: ChainedEvent, seq: number, prevHash: string, hash: string): Record<string, unknown> {
  const { principal, ...fields } = event;
  return {
    ...fields,
    seq,
    principal_id: principal?.id,
    principal_type: principal?.type,
    prev_hash: prevHash,
    hash,
  };
}

function uniqueById(events: readonly ChainedEvent[]): ChainedEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.event_id) && seen.add(event.event_id) !== undefined);
}
