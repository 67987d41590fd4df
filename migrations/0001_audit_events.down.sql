DROP FUNCTION IF EXISTS audit_ensure_partition(date);
DROP TABLE IF EXISTS audit_events CASCADE;
DROP TABLE IF EXISTS audit_chain_anchors;
DROP TABLE IF EXISTS audit_chain_heads;
DROP TABLE IF EXISTS audit_event_ids;
DROP FUNCTION IF EXISTS audit_reject_change();
