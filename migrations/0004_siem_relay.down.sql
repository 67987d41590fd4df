DROP INDEX IF EXISTS audit_deliveries_dead;
DROP INDEX IF EXISTS audit_dead_letters_open;
DROP INDEX IF EXISTS audit_deliveries_in_flight;
