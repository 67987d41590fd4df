DROP INDEX IF EXISTS audit_deliveries_event_sink;
