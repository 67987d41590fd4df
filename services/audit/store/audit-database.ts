import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { AuditSchema } from './audit-schema';

export type DatabaseEngine = 'postgres' | 'pglite';

/** The audit store's database: a Postgres server, or PGlite (Postgres in WebAssembly) in this process. */
export interface AuditDatabase {
  db: Kysely<AuditSchema>;
  engine: DatabaseEngine;
  /** Postgres only: the connection pool under `db`, for what kysely cannot express (COPY). */
  pool?: pg.Pool;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditDatabaseOptions {
  /** `postgres://…`: use that server. Without it, PGlite. */
  url?: string;
  /** PGlite's data directory; without it (and without `url`) the database lives in memory. */
  dataDir?: string;
  /** Postgres only: work in this schema (created when missing), so tests and benchmarks can share a server. */
  schema?: string;
  /** Postgres only: connections in the pool. */
  poolSize?: number;
  /**
   * PGlite in memory only: a data directory PGlite dumped (`dumpDataDir`) to start from instead of
   * running initdb, which takes seconds; the tests start from a migrated one.
   */
  pgliteSnapshot?: Blob;
}

export async function openAuditDatabase(options: AuditDatabaseOptions): Promise<AuditDatabase> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

async function openPostgres(url: string, options: AuditDatabaseOptions): Promise<AuditDatabase> {
  if (options.schema) await createSchema(url, options.schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 8,
    connectionTimeoutMillis: 5000,
    statement_timeout: 60_000,
    ...(options.schema ? { options: `-c search_path=${quoteIdentifier(options.schema)}` } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports the problem.
  pool.on('error', () => undefined);
  const db = new Kysely<AuditSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    pool,
    ping: async () => void (await sql`select 1`.execute(db)),
    close: () => db.destroy(),
  };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}

async function openPglite({ dataDir, pgliteSnapshot }: AuditDatabaseOptions): Promise<AuditDatabase> {
  // Loaded on use: the WebAssembly module is large and a server deployment never needs it.
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite(pgliteSnapshot ? { loadDataDir: pgliteSnapshot } : {});
  await pglite.waitReady;
  let closed = false;
  const db = new Kysely<AuditSchema>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    ping: async () => {
      if (closed) throw new Error('embedded database is closed');
      await sql`select 1`.execute(db);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
