import path from 'node:path';
import type { AuditConfig } from '../common';
import { openAuditDatabase, type AuditDatabase } from './store/audit-database';
import { migrateToLatest, type MigrationOutcome } from './store/sql-migrations';

/** Where the embedded database lives when `DATABASE_URL` is unset. */
export function embeddedDatabaseDirectory(config: Pick<AuditConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'audit-pg');
}

/** The configured database (server or embedded), migrated to the latest schema. */
export async function openMigratedDatabase(
  config: Pick<AuditConfig, 'databaseUrl' | 'dataDir'>,
): Promise<{ database: AuditDatabase; migrations: MigrationOutcome }> {
  const database = await openAuditDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: embeddedDatabaseDirectory(config) },
  );
  try {
    return { database, migrations: await migrateToLatest(database.db) };
  } catch (error) {
    await database.close();
    throw error;
  }
}
