import { auditEventSchema, type AuditEvent } from '../../common/contracts/audit-event';
import { HttpError, validationDetails } from '../../common';
import { applyMasks } from './mask-pointers';
import type { Redactor } from './redaction';
import type { ChainedEvent } from './stored-event';

const unmaskedEventSchema = auditEventSchema.omit({ masks: true });

// Free-text fields may carry a pasted credential; the rest are identifiers and enumerations.
const FREE_TEXT_FIELDS = new Set(['reason', 'error', 'outcome', 'prompt']);

/** Validated event → what is stored and hashed: masks applied, secrets redacted, time normalised. */
export function prepareEvent(event: AuditEvent, redactor: Redactor, index: number, now: Date = new Date()): ChainedEvent {
  checkOccurredAt(event.occurred_at, index, now);
  const masked = event.masks && event.masks.length > 0 ? maskedEvent(event, index) : event;
  // Members go in in sorted key order (the redacted payload's already are): the canonical JSON is then
  // what JSON.stringify writes, without the sorted copy `canonicalJson` would otherwise make.
  const prepared: Record<string, unknown> = {};
  for (const key of CHAINED_KEYS_SORTED) {
    const value = preparedValue(key, masked, redactor);
    if (value !== undefined) prepared[key] = value;
  }
  return prepared as unknown as ChainedEvent;
}

const CHAINED_KEYS_SORTED = [
  'action', 'agent_id', 'decision', 'decision_id', 'error', 'event_id', 'event_type', 'latency_ms', 'occurred_at', 'outcome',
  'payload', 'principal', 'prompt', 'reason', 'request_id', 'revision', 'server', 'session_id', 'tenant', 'tool', 'uri',
] as const satisfies readonly (keyof ChainedEvent)[];

function preparedValue(key: (typeof CHAINED_KEYS_SORTED)[number], event: AuditEvent, redactor: Redactor): unknown {
  switch (key) {
    case 'event_id':
      return event.event_id.toLowerCase();
    case 'occurred_at':
      return new Date(event.occurred_at).toISOString();
    case 'principal':
      if (!event.principal) return undefined;
      return event.principal.type === undefined ? { id: event.principal.id } : { id: event.principal.id, type: event.principal.type };
    case 'payload':
      return event.payload === undefined ? undefined : redactor.redactValue(event.payload);
    case 'event_type':
    case 'tenant':
    case 'latency_ms':
      return event[key];
    default: {
      const value: string | undefined = event[key];
      if (value === undefined) return undefined;
      return key === 'uri' ? redactor.redactUri(value) : FREE_TEXT_FIELDS.has(key) ? redactor.redactText(value) : value;
    }
  }
}

function maskedEvent(event: AuditEvent, index: number): AuditEvent {
  const { masks, ...rest } = event;
  const result = unmaskedEventSchema.safeParse(applyMasks(rest, masks ?? []));
  if (!result.success) {
    const details = validationDetails(result.error).map((detail) => ({ ...detail, path: `events.${index}.${detail.path}` }));
    throw new HttpError(400, 'invalid_request', 'masks turn the event into an invalid one', details);
  }
  return result.data;
}

const EARLIEST_EVENT_TIME = Date.parse('2000-01-01T00:00:00Z');
const MAX_CLOCK_SKEW_MS = 86_400_000;

/** Each distinct day gets a partition: absurd times (a zeroed clock, a typo in the year) are refused. */
function checkOccurredAt(occurredAt: string, index: number, now: Date): void {
  const time = Date.parse(occurredAt);
  if (time >= EARLIEST_EVENT_TIME && time <= now.getTime() + MAX_CLOCK_SKEW_MS) return;
  throw new HttpError(400, 'invalid_request', 'invalid request body', [
    { path: `events.${index}.occurred_at`, message: 'expected a time after 2000-01-01 and at most one day in the future' },
  ]);
}
