-- The role the audit service should connect as in production: it can add and read audit records but never
-- change or remove them. Roles are cluster-wide, so creating it tolerates an existing one (another schema or
-- database made it) and a migrating user without CREATEROLE (then an administrator creates it).
DO $$
BEGIN
  CREATE ROLE mcp_authz_audit_writer NOLOGIN;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN RAISE NOTICE 'no CREATEROLE privilege: create role mcp_authz_audit_writer yourself';
END;
$$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_authz_audit_writer') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO mcp_authz_audit_writer', current_schema());
    GRANT SELECT, INSERT ON audit_events, audit_event_ids, audit_chain_anchors TO mcp_authz_audit_writer;
    GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO mcp_authz_audit_writer;
    GRANT SELECT, INSERT, UPDATE, DELETE ON audit_deliveries, audit_dead_letters TO mcp_authz_audit_writer;
    GRANT EXECUTE ON FUNCTION audit_ensure_partition(date) TO mcp_authz_audit_writer;
  END IF;
END;
$$;
