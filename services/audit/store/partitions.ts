import { sql } from 'kysely';
import type { AuditDatabase } from './audit-database';

/** Day partitions of `audit_events`: created ahead of time and on demand, remembered once seen. */
export interface Partitions {
  /** Makes sure a partition exists for each UTC day (`YYYY-MM-DD`). */
  ensureDays(days: Iterable<string>): Promise<void>;
  /** Creates partitions for today (UTC) and the next `daysAhead` days. */
  ensureAhead(now: Date, daysAhead: number): Promise<void>;
  /** Called when retention dropped a day's partition. */
  forget(day: string): void;
}

const DAY_MS = 86_400_000;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function createPartitions(database: AuditDatabase): Partitions {
  const known = new Set<string>();

  async function ensureDays(days: Iterable<string>): Promise<void> {
    for (const day of new Set(days)) {
      if (known.has(day)) continue;
      await sql`select audit_ensure_partition(${day}::date)`.execute(database.db);
      known.add(day);
    }
  }

  return {
    ensureDays,
    ensureAhead: (now, daysAhead) =>
      ensureDays(Array.from({ length: daysAhead + 1 }, (_, offset) => utcDay(new Date(now.getTime() + offset * DAY_MS)))),
    forget: (day) => void known.delete(day),
  };
}
