import { sql } from 'kysely';
import type { AuditDatabase } from '../store/audit-database';
import { quoteIdentifier } from '../store/audit-database';
import { utcDay, type Partitions } from '../store/partitions';
import { withStoreErrors } from '../store/store-errors';

export interface RetentionOutcome {
  dropped: string[];
}

const DAY_MS = 86_400_000;
const PARTITION_NAME = /^audit_events_(\d{4})(\d{2})(\d{2})$/;
// Any constant works; it only keeps two instances from dropping the same partition at once.
const RETENTION_LOCK_KEY = 72_411_903;

/**
 * Drops the day partitions that ended more than `retentionDays` ago. Before each drop, in the same
 * transaction, it records a chain anchor for every run of consecutive sequence numbers in the partition
 * (the hash of the run's last event), so the events that follow can still be verified.
 */
export async function applyRetention(
  database: AuditDatabase,
  partitions: Partitions,
  retentionDays: number,
  now: Date = new Date(),
): Promise<RetentionOutcome> {
  const cutoffDay = utcDay(new Date(now.getTime() - retentionDays * DAY_MS));
  const expired = (await listPartitions(database)).filter((partition) => partition.day < cutoffDay);
  const dropped: string[] = [];
  for (const partition of expired) {
    const done = await withStoreErrors(() => database.db.transaction().execute(async (trx) => {
      const locked = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${RETENTION_LOCK_KEY}) as locked`.execute(trx);
      if (!locked.rows[0]?.locked) return false;
      const table = sql.raw(quoteIdentifier(partition.name));
      // In-flight inserts into this day finish first; later ones wait and then recreate the partition.
      await sql`lock table ${table} in access exclusive mode`.execute(trx);
      await sql`
        insert into audit_chain_anchors (tenant, from_seq, to_seq, last_hash, partition_name)
        select tenant, min(seq), max(seq), (array_agg(hash order by seq desc))[1], ${partition.name}
        from (select tenant, seq, hash, seq - row_number() over (partition by tenant order by seq) as run from ${table}) as runs
        group by tenant, run
        on conflict (tenant, to_seq) do nothing
      `.execute(trx);
      await sql`delete from audit_event_ids where event_id in (select event_id from ${table})`.execute(trx);
      await sql`drop table ${table}`.execute(trx);
      return true;
    }));
    if (!done) break;
    partitions.forget(partition.day);
    dropped.push(partition.name);
  }
  return { dropped };
}

interface DayPartition {
  name: string;
  day: string;
}

async function listPartitions(database: AuditDatabase): Promise<DayPartition[]> {
  const result = await withStoreErrors(() =>
    sql<{ name: string }>`
      select child.relname as name
      from pg_inherits
      join pg_class child on child.oid = pg_inherits.inhrelid
      where pg_inherits.inhparent = 'audit_events'::regclass
    `.execute(database.db),
  );
  return result.rows
    .map((row) => ({ name: row.name, match: PARTITION_NAME.exec(row.name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ name, day: `${match[1]}-${match[2]}-${match[3]}` }))
    .sort((a, b) => a.day.localeCompare(b.day));
}
