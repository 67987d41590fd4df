import { loadAuditConfig, type Environment } from '../../common';
import { createAuditStore } from '../../audit/audit-store';
import { applyRetention } from '../../audit/maintenance/retention';
import { openMigratedDatabase } from '../../audit/open-store';
import type { AuditRetentionArgs } from '../command-args';
import { UsageError } from '../usage-error';

/**
 * One retention pass, as the audit service's maintenance loop runs it: day partitions older than
 * `--days` (or `AUDIT_RETENTION_DAYS`) are dropped after their chain anchors are recorded.
 */
export async function run(args: AuditRetentionArgs, env: Environment = process.env, cwd: string = process.cwd()): Promise<number> {
  const config = loadAuditConfig(env, cwd);
  const days = args.days ?? config.retentionDays;
  if (days === undefined) throw new UsageError('no retention period: pass --days N or set AUDIT_RETENTION_DAYS');
  const { database } = await openMigratedDatabase(config);
  try {
    const { dropped } = await applyRetention(database, createAuditStore(database).partitions, days);
    process.stdout.write(
      dropped.length === 0
        ? `retention (${days} days): nothing to drop\n`
        : `retention (${days} days) dropped ${dropped.length} partition(s):\n${dropped.map((name) => `  ${name}\n`).join('')}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
