-- The audit record: partitioned by day on the event time, append-only, hash-chained per tenant.

-- Idempotency: a unique constraint on a partitioned table must include the partition key, which would let
-- one event_id exist once per day. This small unpartitioned table makes event_id unique for real.
CREATE TABLE audit_event_ids (
  event_id uuid PRIMARY KEY,
  tenant text NOT NULL,
  occurred_at timestamptz NOT NULL
);

CREATE TABLE audit_events (
  event_id uuid NOT NULL,
  tenant text NOT NULL,
  seq bigint NOT NULL,
  event_type text NOT NULL CHECK (event_type IN ('decision', 'mcp_request', 'admin')),
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  decision text CHECK (decision IN ('allow', 'deny')),
  principal_id text,
  principal_type text,
  agent_id text,
  action text,
  server text,
  tool text,
  uri text,
  prompt text,
  reason text,
  revision text,
  decision_id text,
  request_id text,
  session_id text,
  latency_ms double precision,
  outcome text,
  error text,
  payload jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
) PARTITION BY RANGE (occurred_at);

-- Listing and keyset pagination (newest first), per tenant.
CREATE INDEX audit_events_tenant_time ON audit_events (tenant, occurred_at DESC, event_id DESC);
-- Chain verification walks a tenant's events in insertion order.
CREATE INDEX audit_events_tenant_seq ON audit_events (tenant, seq);
CREATE INDEX audit_events_principal ON audit_events (tenant, principal_id, occurred_at DESC) WHERE principal_id IS NOT NULL;
CREATE INDEX audit_events_decision_id ON audit_events USING hash (decision_id) WHERE decision_id IS NOT NULL;
CREATE INDEX audit_events_request_id ON audit_events USING hash (request_id) WHERE request_id IS NOT NULL;

-- The last link of each tenant's chain; locked FOR UPDATE by every insert, which serializes a tenant's writers.
CREATE TABLE audit_chain_heads (
  tenant text PRIMARY KEY,
  last_seq bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);

-- Written by retention before a partition is dropped: for each run of consecutive sequence numbers that
-- disappears, the hash of its last event, so the event after the run can still be checked.
CREATE TABLE audit_chain_anchors (
  tenant text NOT NULL,
  from_seq bigint NOT NULL,
  to_seq bigint NOT NULL,
  last_hash text NOT NULL,
  partition_name text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, to_seq)
);

CREATE FUNCTION audit_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_chain_anchors_append_only BEFORE UPDATE OR DELETE ON audit_chain_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_chain_anchors_no_truncate BEFORE TRUNCATE ON audit_chain_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- Creates the partition holding `day` (UTC) when missing. Statement triggers are not inherited, so each
-- partition gets its own TRUNCATE guard. SECURITY DEFINER lets the insert-only service role create
-- partitions on demand without owning the table.
CREATE FUNCTION audit_ensure_partition(day date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  partition_name text := 'audit_events_' || to_char(day, 'YYYYMMDD');
BEGIN
  IF to_regclass(quote_ident(partition_name)) IS NOT NULL THEN
    RETURN partition_name;
  END IF;
  BEGIN
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
      partition_name,
      to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00',
      to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00'
    );
    EXECUTE format(
      'CREATE TRIGGER audit_partition_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()',
      partition_name
    );
  EXCEPTION WHEN duplicate_table OR unique_violation THEN
    -- Another session created it at the same moment.
    NULL;
  END;
  RETURN partition_name;
END;
$$;
