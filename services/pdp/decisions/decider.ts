import { randomUUID } from 'node:crypto';
import { newEventId } from '../../common/audit-client';
import type { ExplainedRule } from '../engines/decision-engine';
import type { A2aInput } from '../inputs/a2a-input';
import type { GatewayInput } from '../inputs/gateway-input';
import type { DecisionDocument } from '../contracts/authorize';
import { denial, readDecision } from './decision-document';
import type { DecisionPoint, Evaluation } from './decision-point';
import type { DecisionEvent, DecisionRecorder } from './decision-recorder';

export const GATEWAY_ENTRYPOINT = 'mcp/gateway/decision';
export const A2A_ENTRYPOINT = 'mcp/a2a/decision';
const GATEWAY_PATH = GATEWAY_ENTRYPOINT.split('/');
const A2A_PATH = A2A_ENTRYPOINT.split('/');

/** Who and what a decision was about, as the audit record names them. */
export type AuditSubject = Pick<DecisionEvent, 'principal' | 'agent_id' | 'action' | 'server' | 'tool' | 'uri' | 'prompt' | 'session_id' | 'payload'>;

export interface DecisionMeta {
  requestId: string;
  tenant: string;
  explain?: boolean;
}

export interface DecisionAnswer extends DecisionDocument {
  reason: string;
  decision_id: string;
  audit_id: string;
  revision: string | null;
  explanation?: ExplainedRule[];
}

/** Every question the PDP answers goes through here: evaluate, read fail-closed, hand to the audit recorder. */
export interface Decider {
  /** `canonicalInput`: `canonicalJson(input)` when the caller has it already. */
  gateway(input: GatewayInput, meta: DecisionMeta, canonicalInput?: string): DecisionAnswer;
  a2a(input: A2aInput, meta: DecisionMeta): DecisionAnswer;
  /** Any document (OPA's data API): the raw evaluation; recorded with `allow`/`deny` when the document carries `allow`. */
  document(path: readonly string[], input: unknown, meta: DecisionMeta, canonicalInput?: string): { evaluation: Evaluation; decisionId: string };
  /** A denial decided before any policy ran (e.g. a subject token that does not verify); recorded like the rest. */
  refuse(subject: AuditSubject, reason: string, meta: DecisionMeta): DecisionAnswer;
}

export function createDecider(point: DecisionPoint, recorder: DecisionRecorder, newId: () => string = randomUUID): Decider {
  function answer(evaluation: Evaluation | undefined, input: unknown, document: DecisionDocument, subject: AuditSubject, meta: DecisionMeta): DecisionAnswer {
    const result: DecisionAnswer = {
      allow: document.allow,
      reasons: document.reasons,
      cache_ttl: document.cache_ttl,
      reason: document.reasons[0] ?? (document.allow ? 'allowed by policy' : 'denied by policy'),
      decision_id: newId(),
      audit_id: newEventId(),
      revision: evaluation?.revision ?? point.bundle()?.revision ?? null,
    };
    if (document.filtered_parameters !== undefined) result.filtered_parameters = document.filtered_parameters;
    if (document.obligations !== undefined) result.obligations = document.obligations;
    if (evaluation?.explanation) result.explanation = evaluation.explanation;
    const log = evaluation ? { input, result: evaluation.value, bundle: evaluation.bundle, cacheKey: evaluation.cacheKey } : undefined;
    recorder.record(decisionEvent(result, subject, meta, evaluation?.durationMs ?? 0), log);
    return result;
  }

  return {
    gateway(input, meta, canonicalInput) {
      const evaluation = point.evaluate({ entrypoint: GATEWAY_ENTRYPOINT, path: GATEWAY_PATH, input, canonicalInput, explain: meta.explain });
      return answer(evaluation, input, readDecision(evaluation), gatewaySubject(input), meta);
    },
    a2a(input, meta) {
      const evaluation = point.evaluate({ entrypoint: A2A_ENTRYPOINT, path: A2A_PATH, input, explain: meta.explain });
      return answer(evaluation, input, readDecision(evaluation), a2aSubject(input), meta);
    },
    document(path, input, meta, canonicalInput) {
      const entrypoint = path.join('/');
      const evaluation = point.evaluate({ entrypoint, path, input, canonicalInput, explain: meta.explain });
      const decisionId = newId();
      recorder.record(documentEvent(evaluation, entrypoint, decisionId, newEventId(), meta), { input, result: evaluation.value, bundle: evaluation.bundle, cacheKey: evaluation.cacheKey });
      return { evaluation, decisionId };
    },
    refuse(subject, reason, meta) {
      return answer(undefined, undefined, denial(reason), subject, meta);
    },
  };
}

export function gatewaySubject(input: GatewayInput): AuditSubject {
  const context = input.context as { session_id?: unknown };
  return {
    principal: { id: input.principal.id, type: input.principal.type },
    agent_id: input.principal.type === 'agent' ? input.principal.id : undefined,
    action: input.action,
    server: input.resource.server,
    tool: input.resource.tool,
    uri: input.resource.uri,
    prompt: input.resource.prompt,
    session_id: typeof context.session_id === 'string' ? context.session_id : undefined,
  };
}

function a2aSubject(input: A2aInput): AuditSubject {
  return {
    principal: { id: input.source_agent.id, type: 'agent' },
    agent_id: input.source_agent.id,
    action: `a2a:${input.capability}`,
    payload: { target_agent_id: input.target_agent.id, message_type: input.message_type },
  };
}

function documentEvent(evaluation: Evaluation, entrypoint: string, decisionId: string, eventId: string, meta: DecisionMeta): DecisionEvent {
  const allow = (evaluation.value as { allow?: unknown } | null | undefined)?.allow;
  const event: DecisionEvent = {
    event_id: eventId,
    event_type: 'decision',
    occurred_at: new Date().toISOString(),
    tenant: meta.tenant,
    decision_id: decisionId,
    request_id: meta.requestId,
    latency_ms: evaluation.durationMs,
    payload: { path: entrypoint, outcome: evaluation.outcome },
  };
  if (typeof allow === 'boolean') event.decision = allow ? 'allow' : 'deny';
  if (evaluation.revision !== null) event.revision = evaluation.revision;
  if (evaluation.error !== undefined) event.reason = clipped(evaluation.error, MAX_LONG_TEXT);
  return event;
}

function decisionEvent(answer: DecisionAnswer, subject: AuditSubject, meta: DecisionMeta, latencyMs: number): DecisionEvent {
  const event: DecisionEvent = {
    event_id: answer.audit_id,
    event_type: 'decision',
    occurred_at: new Date().toISOString(),
    tenant: meta.tenant,
    decision: answer.allow ? 'allow' : 'deny',
    reason: clipped(answer.reason, MAX_LONG_TEXT),
    decision_id: answer.decision_id,
    request_id: meta.requestId,
    latency_ms: latencyMs,
  };
  if (answer.revision !== null) event.revision = answer.revision;
  for (const [field, value] of Object.entries(subject)) {
    if (value !== undefined) (event as unknown as Record<string, unknown>)[field] = typeof value === 'string' ? clipped(value, field === 'uri' ? MAX_LONG_TEXT : MAX_SHORT_TEXT) : value;
  }
  if (event.principal) event.principal = { id: clipped(event.principal.id, MAX_SHORT_TEXT), type: event.principal.type && clipped(event.principal.type, MAX_TYPE_TEXT) };
  return event;
}

// The audit contract's field limits: a longer name must shorten the record, never lose it.
const MAX_SHORT_TEXT = 512;
const MAX_LONG_TEXT = 8192;
const MAX_TYPE_TEXT = 64;

function clipped(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
