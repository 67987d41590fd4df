import { z } from 'zod';

/**
 * The audit event: what the PDP and the proxy record and the audit service stores. One schema for
 * the producer (the audit client validates before queueing) and the consumer (`POST /v1/events`).
 */

export const AUDIT_EVENT_TYPES = ['decision', 'mcp_request', 'admin'] as const;
export const AUDIT_DECISIONS = ['allow', 'deny'] as const;
export const MAX_EVENTS_PER_BATCH = 1000;

const shortText = z.string().min(1).max(512);
const longText = z.string().max(8192);

/**
 * A JSON pointer (RFC 6901) into the event, e.g. `/payload/arguments/password`, as produced by a
 * policy's `system.log.mask` rule (OPA pointers into `input` become `/payload/input/...`). A plain
 * pointer replaces the value with `"[REDACTED]"`; `{op: "remove"}` deletes it and `{op: "upsert"}`
 * sets it to `value`, as OPA's decision-log masking does.
 */
export const auditMaskSchema = z.union([
  z.string().regex(/^\/.+/, 'expected a JSON pointer such as /payload/password'),
  z.strictObject({
    op: z.enum(['remove', 'upsert']),
    path: z.string().regex(/^\/.+/, 'expected a JSON pointer such as /payload/password'),
    value: z.unknown().optional(),
  }),
]);

export const auditPrincipalSchema = z.strictObject({
  id: shortText,
  type: z.string().min(1).max(64).optional(),
});

export const auditEventSchema = z.strictObject({
  event_id: z.uuid({ error: 'expected a UUID' }),
  event_type: z.enum(AUDIT_EVENT_TYPES),
  occurred_at: z.iso.datetime({ offset: true, error: 'expected an RFC 3339 timestamp with a time zone' }),
  tenant: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:\-]+$/, 'expected letters, digits, . _ : -').default('default'),
  decision: z.enum(AUDIT_DECISIONS).optional(),
  principal: auditPrincipalSchema.optional(),
  agent_id: shortText.optional(),
  action: shortText.optional(),
  server: shortText.optional(),
  tool: shortText.optional(),
  uri: longText.optional(),
  prompt: shortText.optional(),
  reason: longText.optional(),
  revision: shortText.optional(),
  decision_id: shortText.optional(),
  request_id: shortText.optional(),
  session_id: shortText.optional(),
  latency_ms: z.number().finite().nonnegative().optional(),
  outcome: shortText.optional(),
  error: longText.optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
  masks: z.array(auditMaskSchema).max(256).optional(),
});

/**
 * `POST /v1/events`: a batch of events, each an `auditEventSchema` event. The envelope is checked first and
 * the events a slice at a time (`services/audit/ingest/batch-preparation.ts`), so a large batch does not hold
 * the event loop for the whole of its validation.
 */
export const auditEventBatchEnvelopeSchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per batch`),
});

/** An event as a producer writes it (`tenant` may be left out). */
export type AuditEventInput = z.input<typeof auditEventSchema>;
/** An event after validation (`tenant` filled in). */
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditMask = z.infer<typeof auditMaskSchema>;

/** `202` answer of `POST /v1/events`. */
export const ingestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;

/** An event as the store returns it: redacted, masks applied, chained. */
export const storedAuditEventSchema = auditEventSchema.omit({ masks: true }).extend({
  tenant: z.string(),
  seq: z.number().int(),
  prev_hash: z.string(),
  hash: z.string(),
  received_at: z.string(),
});
export type StoredAuditEvent = z.infer<typeof storedAuditEventSchema>;

/** `GET /v1/events` answer: newest first. */
export interface EventPage {
  events: StoredAuditEvent[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** `GET /v1/verify` answer. */
export const verifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  first_broken: z
    .object({
      tenant: z.string(),
      seq: z.number().int(),
      event_id: z.string().nullable(),
      reason: z.string(),
    })
    .nullable(),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;

/** An event a SIEM sink gave up on (`GET /v1/dead-letters`), kept for re-driving. */
export interface DeadLetter {
  event_id: string;
  sink: string;
  tenant: string;
  occurred_at: string;
  attempts: number;
  last_error: string | null;
  dead_at: string;
  redriven_at: string | null;
}
