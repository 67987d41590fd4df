import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openAuditDatabase, quoteIdentifier, type AuditDatabase } from '../../store/audit-database';
import { migrateToLatest } from '../../store/sql-migrations';
import { migratedPgliteSnapshot } from './pglite-snapshot';

export type Engine = 'pglite' | 'postgres';

/** PGlite always; the Postgres server too when `DATABASE_URL` names one (as on CI). */
export const ENGINES: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: AuditDatabase;
  /** Runs statements with triggers off, as a superuser tampering with the table would. */
  tamper(statements: string[]): Promise<void>;
  /** Closes the database and, on a server, drops the test's schema. */
  drop(): Promise<void>;
}

/** A fresh, migrated database: in-memory PGlite, or a schema of its own on the server (so files never collide). */
export async function openTestDatabase(engine: Engine, migrate = true): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const schema = `audit_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const onServer = engine === 'postgres' && url !== undefined;
  const database = onServer
    ? await openAuditDatabase({ url, schema, poolSize: 4 })
    : await openAuditDatabase(migrate ? { pgliteSnapshot: await migratedPgliteSnapshot() } : {});
  if (migrate && onServer) await migrateToLatest(database.db);
  return {
    database,
    async tamper(statements) {
      await database.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        for (const statement of statements) await sql.raw(statement).execute(trx);
      });
    },
    async drop() {
      await database.close();
      if (engine === 'postgres' && url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
        await client.end();
      }
    },
  };
}

/** A fresh database for the enclosing describe block: opened before its tests, dropped after them. */
export function useTestDatabase(engine: Engine): Omit<TestDatabase, 'drop'> {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await current?.drop();
  });
  const opened = (): TestDatabase => {
    if (current === undefined) throw new Error('the test database is opened in beforeAll');
    return current;
  };
  return {
    get database() {
      return opened().database;
    },
    tamper: (statements) => opened().tamper(statements),
  };
}
