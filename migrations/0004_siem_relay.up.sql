-- SIEM relay: a claimed delivery row is 'in_flight' with next_attempt_at as its lease expiry; this small
-- index (only rows being sent) lets the relay find expired leases of a crashed instance cheaply.
CREATE INDEX audit_deliveries_in_flight ON audit_deliveries (sink, next_attempt_at) WHERE status = 'in_flight';

-- Dead letters still waiting for a redrive, newest first per sink.
CREATE INDEX audit_dead_letters_open ON audit_dead_letters (sink, dead_at DESC, event_id) WHERE redriven_at IS NULL;

-- Redrive finds a dead letter's delivery row by event id; only dead rows are indexed.
CREATE INDEX audit_deliveries_dead ON audit_deliveries (event_id, sink) WHERE status = 'dead';
