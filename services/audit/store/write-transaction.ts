import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { utf8Joined } from '../../common/text/utf8-joined';
import type { ChainedEvent } from '../ingest/stored-event';
import type { AuditDatabase } from './audit-database';
import type { AuditSchema } from './audit-schema';
import { copyLineOf, EVENT_ROW_COLUMNS, type ChainedRow } from './event-copy-text';

/** The ingest transaction's statements: kysely-built queries, and the bulk insert of chained rows. */
export interface WriteTransaction {
  query<R>(query: RawBuilder<R>): Promise<R[]>;
  insertEventRows(rows: readonly ChainedRow[]): Promise<void>;
}

const COLUMN_LIST = EVENT_ROW_COLUMNS.join(', ');

/**
 * Runs `work` in one transaction. On a Postgres server the rows go in with COPY, which costs the server
 * about half of what parsing the same rows out of JSON does; PGlite has no COPY from a client stream and
 * takes them through `json_populate_recordset`.
 */
export function runWriteTransaction<T>(database: AuditDatabase, work: (transaction: WriteTransaction) => Promise<T>): Promise<T> {
  if (database.pool) return onPostgresClient(database.pool, database.db, work);
  return database.db.transaction().execute((trx) => work(kyselyTransaction(trx)));
}

async function onPostgresClient<T>(pool: pg.Pool, db: Kysely<AuditSchema>, work: (transaction: WriteTransaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work({
      async query<R>(query: RawBuilder<R>) {
        const compiled = query.compile(db);
        return (await client.query(compiled.sql, compiled.parameters as unknown[])).rows as R[];
      },
      async insertEventRows(rows) {
        // Built before COPY starts: a value refused while building must not leave the connection in COPY mode.
        const lines = utf8Joined(rows.map(copyLineOf));
        await pipeline(Readable.from([lines]), client.query(copyFrom(`copy audit_events (${COLUMN_LIST}) from stdin`)));
      },
    });
    await client.query('commit');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

function kyselyTransaction(trx: Transaction<AuditSchema>): WriteTransaction {
  return {
    query: async (query) => (await query.execute(trx)).rows,
    async insertEventRows(rows) {
      await sql`
        insert into audit_events (${sql.raw(COLUMN_LIST)})
        select ${sql.raw(COLUMN_LIST)} from json_populate_recordset(null::audit_events, ${`[${rows.map(rowJsonOf).join(',')}]`}::json)
      `.execute(trx);
    },
  };
}

/**
 * The row as JSON reuses the canonical text: `json_populate_recordset` ignores the nested `principal` (no
 * such column), so only the chain columns and the flattened principal columns are added.
 */
function rowJsonOf({ canonical, seq, prevHash, hash }: ChainedRow): string {
  const { principal } = JSON.parse(canonical) as Pick<ChainedEvent, 'principal'>;
  const principalColumns = principal
    ? `,"principal_id":${JSON.stringify(principal.id)},"principal_type":${JSON.stringify(principal.type ?? null)}`
    : '';
  return `{"seq":${seq},"prev_hash":"${prevHash}","hash":"${hash}",${canonical.slice(1, -1)}${principalColumns}}`;
}
