-- Revokes this schema's grants; the role itself stays when other schemas or databases still use it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_authz_audit_writer') THEN
    REVOKE ALL ON audit_events, audit_event_ids, audit_chain_anchors, audit_chain_heads,
      audit_deliveries, audit_dead_letters FROM mcp_authz_audit_writer;
    REVOKE ALL ON FUNCTION audit_ensure_partition(date) FROM mcp_authz_audit_writer;
    EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM mcp_authz_audit_writer', current_schema());
    BEGIN
      DROP ROLE mcp_authz_audit_writer;
    EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN NULL;
    END;
  END IF;
END;
$$;
