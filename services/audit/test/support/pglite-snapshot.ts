import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { AuditSchema } from '../../store/audit-schema';
import { locateMigrationsDirectory, migrateToLatest } from '../../store/sql-migrations';

const GZIP = 'application/x-gzip';

/**
 * A PGlite data directory with every migration applied, dumped once and kept in the system's temp
 * directory under a name that changes with the migrations and the PGlite version. Starting from it takes
 * about a second; a fresh PGlite runs initdb, three to five seconds on the development VM, and the suite
 * opens one in every audit test file. Concurrent jest workers may both build it: each renames its own
 * file into place, so a reader never sees half of one.
 */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const file = snapshotFile();
  if (!fs.existsSync(file)) await writeSnapshot(file);
  return new Blob([fs.readFileSync(file)], { type: GZIP });
}

function snapshotFile(): string {
  const fingerprint = createHash('sha256');
  // The package's entry point sits in its dist/ folder, beside which is its package.json.
  const pgliteManifest = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  fingerprint.update((JSON.parse(fs.readFileSync(pgliteManifest, 'utf8')) as { version: string }).version);
  const migrations = locateMigrationsDirectory();
  for (const name of fs.readdirSync(migrations).sort()) fingerprint.update(name).update(fs.readFileSync(path.join(migrations, name)));
  return path.join(os.tmpdir(), `mcp-authz-audit-pglite-${fingerprint.digest('hex').slice(0, 16)}.tar.gz`);
}

async function writeSnapshot(file: string): Promise<void> {
  const pglite = new PGlite();
  const db = new Kysely<AuditSchema>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir('gzip');
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await db.destroy();
  }
}
