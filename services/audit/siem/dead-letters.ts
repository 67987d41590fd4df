import { sql } from 'kysely';
import type { DeadLetter } from '../../common/contracts/audit-event';
import type { AuditDatabase } from '../store/audit-database';

export interface DeadLetterFilter {
  sink?: string | undefined;
  /** Also list dead letters already redriven. */
  includeRedriven?: boolean | undefined;
}

export interface DeadLetterPage {
  dead_letters: DeadLetter[];
  next_cursor: string | null;
}

export interface RedriveRequest {
  /** Only these sinks' dead letters (always within the configured sinks). */
  sinks: readonly string[];
  /** Only these events; all of the sinks' dead letters when absent. */
  eventIds?: readonly string[] | undefined;
  limit: number;
}

/** Deliveries given up on: listed newest first, and redriven (queued again with a fresh attempt count). */
export interface DeadLetters {
  list(filter: DeadLetterFilter, limit: number, cursor?: string): Promise<DeadLetterPage>;
  /** Resolves to the number of dead letters queued again. */
  redrive(request: RedriveRequest): Promise<number>;
}

interface DeadLetterRow {
  event_id: string;
  sink: string;
  tenant: string;
  occurred_at: Date | string;
  attempts: number;
  last_error: string | null;
  dead_at: Date | string;
  dead_at_key: string;
  redriven_at: Date | string | null;
}

/** The position after a listed dead letter: its exact `dead_at` (microseconds, as text), event id and sink. */
type Cursor = [string, string, string];

function encodeCursor(row: DeadLetterRow): string {
  return Buffer.from(JSON.stringify([row.dead_at_key, row.event_id, row.sink] satisfies Cursor)).toString('base64url');
}

export class InvalidCursorError extends Error {}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === 'string') && /^[0-9a-f-]{36}$/.test(value[1])) {
      return value as Cursor;
    }
  } catch {
    // reported below
  }
  throw new InvalidCursorError('invalid cursor');
}

const iso = (value: Date | string) => new Date(value).toISOString();

export function createDeadLetters(database: AuditDatabase): DeadLetters {
  const db = database.db;
  return {
    async list(filter, limit, cursor) {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const result = await sql<DeadLetterRow>`
        select event_id, sink, tenant, occurred_at, attempts, last_error, dead_at, redriven_at,
          to_char(dead_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as dead_at_key
        from audit_dead_letters
        where (${filter.sink ?? null}::text is null or sink = ${filter.sink ?? null})
          and (${filter.includeRedriven ?? false} or redriven_at is null)
          and (${after ? after[0] : null}::timestamptz is null
               or (dead_at, event_id, sink) < (${after ? after[0] : null}::timestamptz, ${after ? after[1] : null}::uuid, ${after ? after[2] : null}::text))
        order by dead_at desc, event_id desc, sink desc
        limit ${limit + 1}
      `.execute(db);
      const rows = result.rows.slice(0, limit);
      return {
        dead_letters: rows.map((row) => ({
          event_id: row.event_id,
          sink: row.sink,
          tenant: row.tenant,
          occurred_at: iso(row.occurred_at),
          attempts: Number(row.attempts),
          last_error: row.last_error,
          dead_at: iso(row.dead_at),
          redriven_at: row.redriven_at === null ? null : iso(row.redriven_at),
        })),
        next_cursor: result.rows.length > limit ? encodeCursor(rows[rows.length - 1]!) : null,
      };
    },

    async redrive(request) {
      if (request.sinks.length === 0) return 0;
      const eventIds = request.eventIds ? [...request.eventIds] : null;
      // The dead delivery row is replaced by a fresh pending one (a row pruned meanwhile is recreated).
      const result = await sql<{ redriven: number | string }>`
        with chosen as (
          select event_id, sink from audit_dead_letters
          where redriven_at is null and sink = any(${request.sinks}::text[])
            and (${eventIds}::uuid[] is null or event_id = any(${eventIds}::uuid[]))
          order by dead_at
          limit ${request.limit}
          for update
        ), redriven as (
          update audit_dead_letters l set redriven_at = now()
          from chosen c where l.event_id = c.event_id and l.sink = c.sink
          returning l.event_id, l.sink, l.tenant, l.occurred_at
        ), removed as (
          delete from audit_deliveries d using redriven r
          where d.event_id = r.event_id and d.sink = r.sink and d.status = 'dead'
        ), queued as (
          insert into audit_deliveries (event_id, sink, tenant, occurred_at)
          select event_id, sink, tenant, occurred_at from redriven
          returning 1
        )
        select count(*) as redriven from queued
      `.execute(db);
      return Number(result.rows[0]?.redriven ?? 0);
    },
  };
}
