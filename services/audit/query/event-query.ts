import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { EventPage, StoredAuditEvent } from '../../common/contracts/audit-event';
import type { AuditDatabase } from '../store/audit-database';
import type { AuditSchema } from '../store/audit-schema';
import { storedEventOf, type EventRow } from '../store/event-row';
import { withStoreErrors } from '../store/store-errors';
import type { EventFilters } from './event-filters';
import { encodeCursor, type PagePosition } from './page-cursor';

export interface EventQueries {
  page(filters: EventFilters, limit: number, after?: PagePosition): Promise<EventPage>;
  byId(eventId: string): Promise<StoredAuditEvent | undefined>;
  /** Every matching event, newest first, fetched page by page so memory stays flat. */
  all(filters: EventFilters, pageSize?: number): AsyncGenerator<StoredAuditEvent>;
}

type EventsQuery = SelectQueryBuilder<AuditSchema, 'audit_events', EventRow>;

// Filter name → column: the query API speaks the event's vocabulary, the table its own.
const EQUALITY_FILTERS = {
  tenant: 'tenant',
  principal: 'principal_id',
  agent: 'agent_id',
  decision: 'decision',
  server: 'server',
  tool: 'tool',
  action: 'action',
  event_type: 'event_type',
  decision_id: 'decision_id',
  request_id: 'request_id',
  session_id: 'session_id',
} as const satisfies Record<string, keyof EventRow>;

export function createEventQueries(database: AuditDatabase): EventQueries {
  const { db } = database;

  function filtered(filters: EventFilters): EventsQuery {
    let query = db.selectFrom('audit_events').selectAll();
    for (const [filter, column] of Object.entries(EQUALITY_FILTERS) as [keyof typeof EQUALITY_FILTERS, keyof EventRow][]) {
      const value = filters[filter];
      if (value !== undefined) query = query.where(column, '=', value);
    }
    if (filters.from) query = query.where('occurred_at', '>=', new Date(filters.from));
    if (filters.to) query = query.where('occurred_at', '<', new Date(filters.to));
    return query;
  }

  async function page(filters: EventFilters, limit: number, after?: PagePosition): Promise<EventPage> {
    let query = filtered(filters);
    if (after) {
      query = query.where((eb: ExpressionBuilder<AuditSchema, 'audit_events'>) =>
        eb(eb.refTuple('occurred_at', 'event_id'), '<', eb.tuple(new Date(after.occurredAt), after.eventId)),
      );
    }
    const rows = await withStoreErrors(() =>
      query.orderBy('occurred_at', 'desc').orderBy('event_id', 'desc').limit(limit + 1).execute(),
    );
    const events = rows.slice(0, limit).map(storedEventOf);
    const last = events[events.length - 1];
    const more = rows.length > limit && last !== undefined;
    return { events, next_cursor: more ? encodeCursor({ occurredAt: last.occurred_at, eventId: last.event_id }) : null };
  }

  return {
    page,
    async byId(eventId) {
      const located = await withStoreErrors(() =>
        db.selectFrom('audit_event_ids').select(['tenant', 'occurred_at']).where('event_id', '=', eventId).executeTakeFirst(),
      );
      if (!located) return undefined;
      const row = await withStoreErrors(() =>
        db
          .selectFrom('audit_events')
          .selectAll()
          .where('tenant', '=', located.tenant)
          .where('occurred_at', '=', located.occurred_at)
          .where('event_id', '=', eventId)
          .executeTakeFirst(),
      );
      return row ? storedEventOf(row) : undefined;
    },
    async *all(filters, pageSize = 1000) {
      let after: PagePosition | undefined;
      for (;;) {
        const current = await page(filters, pageSize, after);
        yield* current.events;
        const last = current.events[current.events.length - 1];
        if (!current.next_cursor || !last) return;
        after = { occurredAt: last.occurred_at, eventId: last.event_id };
      }
    },
  };
}
