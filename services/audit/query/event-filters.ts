import { z } from 'zod';
import { AUDIT_DECISIONS, AUDIT_EVENT_TYPES } from '../../common/contracts/audit-event';

export const MAX_PAGE_SIZE = 1000;

const text = z.string().min(1).max(512);
const timestamp = z.iso.datetime({ offset: true, error: 'expected an RFC 3339 timestamp with a time zone' });

/** Query-string filters shared by `GET /v1/events` and `GET /v1/events/export`. */
export const eventFiltersSchema = z.object({
  tenant: text.optional(),
  principal: text.optional(),
  agent: text.optional(),
  decision: z.enum(AUDIT_DECISIONS).optional(),
  server: text.optional(),
  tool: text.optional(),
  action: text.optional(),
  event_type: z.enum(AUDIT_EVENT_TYPES).optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  decision_id: text.optional(),
  request_id: text.optional(),
  session_id: text.optional(),
});

export const listEventsQuerySchema = eventFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE, `limit is at most ${MAX_PAGE_SIZE}`).default(100),
  cursor: z.string().min(1).max(512).optional(),
});

export const exportQuerySchema = eventFiltersSchema.extend({
  format: z.enum(['ndjson', 'csv']).default('ndjson'),
});

export type EventFilters = z.infer<typeof eventFiltersSchema>;
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;
export type ExportQuery = z.infer<typeof exportQuerySchema>;
