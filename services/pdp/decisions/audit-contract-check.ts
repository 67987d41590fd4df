import { auditEventSchema, type AuditEvent } from '../../common/audit-client';
import type { DecisionEvent } from './decision-recorder';

const EVENT_FIELDS = new Set(Object.keys(auditEventSchema.shape));
const TENANT = /^[A-Za-z0-9._:\-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const SHORT_TEXT_FIELDS = ['agent_id', 'action', 'server', 'tool', 'prompt', 'revision', 'decision_id', 'request_id', 'session_id', 'outcome'] as const;
const LONG_TEXT_FIELDS = ['uri', 'reason', 'error'] as const;
const SHORT_TEXT = 512;
const LONG_TEXT = 8192;
const TYPE_TEXT = 64;

/**
 * Whether a decision event as the PDP builds it satisfies the audit contract (`auditEventSchema`), so the
 * audit client may queue it without running the schema (which cost as much as the rest of an audited
 * cached decision). Conservative: it may refuse a valid event (that one is then validated as usual), never
 * accept an invalid one. Checked: the field names, the texts that carry callers' values (tenant, names,
 * ids: lengths and patterns), the ids and the timestamp; trusted as the PDP builds them: `event_type`,
 * `decision`, `payload` (an object) and `masks` (pointers under /payload, see the recorder).
 */
export function conformsToAuditContract(event: DecisionEvent): event is DecisionEvent & AuditEvent {
  for (const field in event) if (!EVENT_FIELDS.has(field)) return false;
  if (typeof event.tenant !== 'string' || !TENANT.test(event.tenant)) return false;
  if (!UUID.test(event.event_id) || typeof event.occurred_at !== 'string' || !ISO_TIMESTAMP.test(event.occurred_at)) return false;
  for (const field of SHORT_TEXT_FIELDS) if (!textWithin(event[field], 1, SHORT_TEXT)) return false;
  for (const field of LONG_TEXT_FIELDS) if (!textWithin(event[field], 0, LONG_TEXT)) return false;
  const principal = event.principal;
  if (principal !== undefined) {
    for (const field in principal) if (field !== 'id' && field !== 'type') return false;
    if (!textWithin(principal.id, 1, SHORT_TEXT) || principal.id === undefined || !textWithin(principal.type, 1, TYPE_TEXT)) return false;
  }
  const latency = event.latency_ms;
  return latency === undefined || (Number.isFinite(latency) && latency >= 0);
}

/** Absent, or a string of `min` to `max` UTF-16 units (zod's string length). */
function textWithin(value: unknown, min: number, max: number): boolean {
  return value === undefined || (typeof value === 'string' && value.length >= min && value.length <= max);
}
