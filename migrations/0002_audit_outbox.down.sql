DROP TABLE IF EXISTS audit_dead_letters;
DROP TABLE IF EXISTS audit_deliveries;
