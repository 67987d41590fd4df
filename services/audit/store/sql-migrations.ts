import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { splitSqlStatements } from './sql-script';

/**
 * `migrations/NNNN_name.up.sql` with an optional `NNNN_name.down.sql`, applied in name order by kysely's
 * Migrator (which records them in `kysely_migration` and holds a lock, so running twice is harmless).
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly directory: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = await fs.promises.readdir(this.directory);
    const migrations: Record<string, Migration> = {};
    for (const file of files.filter((name) => name.endsWith('.up.sql')).sort()) {
      const name = file.slice(0, -'.up.sql'.length);
      const upScript = await fs.promises.readFile(path.join(this.directory, file), 'utf8');
      const downFile = path.join(this.directory, `${name}.down.sql`);
      const downScript = fs.existsSync(downFile) ? await fs.promises.readFile(downFile, 'utf8') : undefined;
      migrations[name] = {
        up: (db) => runScript(db, upScript),
        ...(downScript !== undefined ? { down: (db: Kysely<unknown>) => runScript(db, downScript) } : {}),
      };
    }
    return migrations;
  }
}

async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitSqlStatements(script)) await sql.raw(statement).execute(db);
}

/** The repository's `migrations/` folder, found from here both in the sources and in `dist/`. */
export function locateMigrationsDirectory(from: string = __dirname): string {
  let directory = from;
  for (;;) {
    const candidate = path.join(directory, 'migrations');
    if (fs.existsSync(path.join(directory, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no migrations/ directory above ${from}`);
    directory = parent;
  }
}

export class MigrationFailedError extends Error {
  constructor(migration: string | undefined, cause: unknown) {
    super(`migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationFailedError';
  }
}

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one; with several schemas on
 * one server (tests, benchmarks) it would find another schema's and skip creating its own.
 */
async function migratorFor<DB>(db: Kysely<DB>, directory: string): Promise<Migrator> {
  const untyped = db as Kysely<unknown>;
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(untyped);
  const schema = current.rows[0]?.schema;
  return new Migrator({
    db: untyped,
    provider: new SqlFileMigrationProvider(directory),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

function outcomeOf(resultSet: MigrationResultSet): MigrationOutcome {
  const failed = resultSet.results?.find((result) => result.status === 'Error');
  if (resultSet.error || failed) throw new MigrationFailedError(failed?.migrationName, resultSet.error);
  return { applied: (resultSet.results ?? []).map((result) => result.migrationName) };
}

export async function migrateToLatest<DB>(db: Kysely<DB>, directory: string = locateMigrationsDirectory()): Promise<MigrationOutcome> {
  return outcomeOf(await (await migratorFor(db, directory)).migrateToLatest());
}

/** Undoes the most recent migration. */
export async function migrateDown<DB>(db: Kysely<DB>, directory: string = locateMigrationsDirectory()): Promise<MigrationOutcome> {
  return outcomeOf(await (await migratorFor(db, directory)).migrateDown());
}
