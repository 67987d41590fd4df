-- At most one live delivery row per (event, sink): the ingest path relied on audit_event_ids for this
-- (0002); the index makes the store itself refuse a second row, e.g. from a buggy redrive or relay.
-- Dead rows are left out because a redrive inserts the fresh pending row in the same statement that
-- deletes the dead one, and the insert runs first; audit_dead_letters keys dead ones by (event_id, sink).
CREATE UNIQUE INDEX audit_deliveries_event_sink ON audit_deliveries (event_id, sink) WHERE status <> 'dead';
