import { sql } from 'kysely';
import type { AuditDatabase } from '../store/audit-database';

/**
 * `audit_deliveries` is a queue: every delivered row leaves a dead tuple behind, and without vacuum
 * the table and its indexes only grow while each claim steps over more dead rows. Postgres servers
 * normally vacuum it themselves; the embedded database (single-user PGlite) never does, and a server
 * may have autovacuum turned off.
 */
export async function autovacuumRuns(database: AuditDatabase): Promise<boolean> {
  if (database.engine === 'pglite') return false;
  const { rows } = await sql<{ autovacuum: string }>`show autovacuum`.execute(database.db);
  return rows[0]?.autovacuum === 'on';
}

/** Marks the queue's dead rows reusable (no exclusive lock: ingest and the relay go on meanwhile). */
export async function vacuumDeliveryQueue(database: AuditDatabase): Promise<void> {
  await sql`vacuum (analyze) audit_deliveries`.execute(database.db);
}
