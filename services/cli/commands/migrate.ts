import { loadAuditConfig, type Environment } from '../../common';
import { openMigratedDatabase } from '../../audit/open-store';
import type { MigrateArgs } from '../command-args';

/** Applies `migrations/` to `DATABASE_URL`, or to the embedded database under `./.data`. */
export async function run(_args: MigrateArgs, env: Environment = process.env, cwd: string = process.cwd()): Promise<number> {
  const config = loadAuditConfig(env, cwd);
  const { database, migrations } = await openMigratedDatabase(config);
  await database.close();
  const target = database.engine === 'postgres' ? 'DATABASE_URL' : 'the embedded database (./.data/audit-pg)';
  process.stdout.write(
    migrations.applied.length === 0
      ? `${target} is up to date\n`
      : `applied to ${target}:\n${migrations.applied.map((name) => `  ${name}\n`).join('')}`,
  );
  return 0;
}
