import { auditEventSchema, type AuditEvent } from '../../common/contracts/audit-event';
import { HttpError, validationDetails } from '../../common';
import { applyMasks } from './mask-pointers';
import type { Redactor } from './redaction';
import type { ChainedEvent } from './stored-event';

const unmaskedEventSchema = auditEventSchema.omit({ masks: true });

/** Validated event → what is stored and hashed: masks applied, secrets redacted, time normalised. */
export function prepareEvent(event: AuditEvent, redactor: Redactor, index: number, now: Date = new Date()): ChainedEvent {
  checkOccurredAt(event.occurred_at, index, now);
  const masked = event.masks && event.masks.length > 0 ? maskedEvent(event, index) : event;
  // One literal with every member in sorted key order (the redacted payload's are sorted too): the canonical
  // JSON is then what JSON.stringify writes, which leaves the undefined members out, without the sorted copy
  // `canonicalJson` would otherwise make; and every prepared event has the same shape, which JSON.stringify
  // writes faster than an object built member by member.
  return {
    action: masked.action,
    agent_id: masked.agent_id,
    decision: masked.decision,
    decision_id: masked.decision_id,
    error: freeText(masked.error, redactor),
    event_id: masked.event_id.toLowerCase(),
    event_type: masked.event_type,
    latency_ms: masked.latency_ms,
    occurred_at: new Date(masked.occurred_at).toISOString(),
    outcome: freeText(masked.outcome, redactor),
    payload: masked.payload === undefined ? undefined : (redactor.redactValue(masked.payload) as Record<string, unknown>),
    principal: masked.principal === undefined ? undefined : masked.principal.type === undefined ? { id: masked.principal.id } : { id: masked.principal.id, type: masked.principal.type },
    prompt: freeText(masked.prompt, redactor),
    reason: freeText(masked.reason, redactor),
    request_id: masked.request_id,
    revision: masked.revision,
    server: masked.server,
    session_id: masked.session_id,
    tenant: masked.tenant,
    tool: masked.tool,
    uri: masked.uri === undefined ? undefined : redactor.redactUri(masked.uri),
  };
}

/** Free-text fields may carry a pasted credential; the others are identifiers and enumerations. */
function freeText(value: string | undefined, redactor: Redactor): string | undefined {
  return value === undefined ? undefined : redactor.redactText(value);
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
