-- Transactional outbox for SIEM forwarding: one row per (event, sink), written in the ingest transaction.
-- The relay (services/audit/siem) claims due rows with FOR UPDATE SKIP LOCKED and tracks each row's status.
-- Rows are written only for event ids the same transaction claimed in audit_event_ids, so (event_id, sink)
-- is unique without a unique index; the sequential id keeps the insert cheap at ingest rates.
CREATE TABLE audit_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL,
  sink text NOT NULL,
  tenant text NOT NULL,
  occurred_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);

CREATE INDEX audit_deliveries_due ON audit_deliveries (sink, next_attempt_at) WHERE status = 'pending';

-- Deliveries given up on (after N attempts or a permanent 4xx); listable and re-drivable.
CREATE TABLE audit_dead_letters (
  event_id uuid NOT NULL,
  sink text NOT NULL,
  tenant text NOT NULL,
  occurred_at timestamptz NOT NULL,
  attempts integer NOT NULL,
  last_error text,
  dead_at timestamptz NOT NULL DEFAULT now(),
  redriven_at timestamptz,
  PRIMARY KEY (event_id, sink)
);

CREATE INDEX audit_dead_letters_sink_time ON audit_dead_letters (sink, dead_at DESC);
