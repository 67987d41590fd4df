import type { ColumnType, Generated } from 'kysely';

/** Tables of `migrations/`, as kysely sees them. */

type Timestamp = ColumnType<Date, Date | string, never>;
/** int8 columns: the pg driver returns strings, PGlite numbers; always read them through `Number()`. */
type Int8 = ColumnType<string | number, number | string, number | string>;

export interface AuditEventsTable {
  event_id: string;
  tenant: string;
  seq: Int8;
  event_type: string;
  occurred_at: Timestamp;
  received_at: ColumnType<Date, never, never>;
  decision: string | null;
  principal_id: string | null;
  principal_type: string | null;
  agent_id: string | null;
  action: string | null;
  server: string | null;
  tool: string | null;
  uri: string | null;
  prompt: string | null;
  reason: string | null;
  revision: string | null;
  decision_id: string | null;
  request_id: string | null;
  session_id: string | null;
  latency_ms: number | null;
  outcome: string | null;
  error: string | null;
  payload: ColumnType<Record<string, unknown> | null, string | null, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditEventIdsTable {
  event_id: string;
  tenant: string;
  occurred_at: Timestamp;
}

export interface AuditChainHeadsTable {
  tenant: string;
  last_seq: Int8;
  last_hash: string;
}

export interface AuditChainAnchorsTable {
  tenant: string;
  from_seq: Int8;
  to_seq: Int8;
  last_hash: string;
  partition_name: string;
  recorded_at: Generated<Date>;
}

export interface AuditDeliveriesTable {
  id: ColumnType<string | number, never, never>;
  event_id: string;
  sink: string;
  tenant: string;
  occurred_at: Timestamp;
  status: Generated<'pending' | 'in_flight' | 'delivered' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

export interface AuditDeadLettersTable {
  event_id: string;
  sink: string;
  tenant: string;
  occurred_at: Timestamp;
  attempts: number;
  last_error: string | null;
  dead_at: Generated<Date>;
  redriven_at: Date | null;
}

export interface AuditSchema {
  audit_events: AuditEventsTable;
  audit_event_ids: AuditEventIdsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_chain_anchors: AuditChainAnchorsTable;
  audit_deliveries: AuditDeliveriesTable;
  audit_dead_letters: AuditDeadLettersTable;
}

/** The hash a tenant's first event links to. */
export const GENESIS_HASH = '0'.repeat(64);
