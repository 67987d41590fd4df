import type { AuditClient, AuditEventInput, AuditMask } from '../../common/audit-client';
import { canonicalJson, oldestKeyOf, type Logger } from '../../common';
import { conformsToAuditContract } from './audit-contract-check';
import type { DecisionEvent, DecisionLog, DecisionRecorder } from './decision-recorder';

const MASK_PATH = ['system', 'log', 'mask'];
const MAX_MASKS = 256;
const REMEMBERED_MASKS = 10_000;

/**
 * Decisions to the audit client, with OPA's decision-log masking: the input and result go in the
 * payload, with the masks the deciding bundle's `system.log.mask` returns (pointers into `/input` and
 * `/result` become `/payload/input` and `/payload/result`). Masks are computed after the response,
 * in batches; when they cannot be (the rule fails or returns something malformed) the input is left out.
 * Masks of a repeated question and answer (same decision-cache key and result, allowed or denied) are
 * computed once: the rule costs as much as the decision. The result is compared too, because a question
 * asked again after its cache entry expired, or never cached (a denial), may be answered differently;
 * a cache hit hands out the very result object, so it compares without serialising.
 */
export function auditDecisionRecorder(client: Pick<AuditClient, 'record' | 'recordValid'>, logger: Logger): DecisionRecorder {
  let pending: [DecisionEvent, DecisionLog | undefined][] = [];
  const remembered = new Map<string, RememberedMasks>();
  const oldest = oldestKeyOf(remembered);
  const masksOnce = (log: DecisionLog): AuditMask[] | undefined => {
    if (log.cacheKey === undefined) return masksFor(log, logger);
    const known = remembered.get(log.cacheKey);
    if (known !== undefined && sameResult(known, log.result)) return known.masks;
    const masks = masksFor(log, logger);
    if (known === undefined && remembered.size >= REMEMBERED_MASKS) remembered.delete(oldest() as string);
    remembered.set(log.cacheKey, { result: log.result, masks });
    return masks;
  };
  const drain = () => {
    const batch = pending;
    pending = [];
    for (const [event, log] of batch) {
      if (log) withDecisionLog(event, log, masksOnce(log));
      // Events that do not pass the cheap check (say, an API key's tenant outside the audit character set) get the full schema.
      if (conformsToAuditContract(event)) client.recordValid(event);
      else client.record(event);
    }
  };
  return {
    record(event, log) {
      if (pending.length === 0) setImmediate(drain);
      pending.push([event, log]);
    },
  };
}

interface RememberedMasks {
  result: unknown;
  /** The result's canonical text, made when a later decision on the same question needs comparing. */
  resultText?: string;
  masks: AuditMask[] | undefined;
}

/** The same answer: the very object (a decision-cache hit), else equal canonical text. */
function sameResult(known: RememberedMasks, result: unknown): boolean {
  if (known.result === result) return true;
  known.resultText ??= canonicalJson(known.result);
  return known.resultText === canonicalJson(result);
}

/** Completes the event in place rather than copying it: the recorder owns the events it is handed. */
export function withDecisionLog(event: DecisionEvent, log: DecisionLog, masks: AuditMask[] | undefined): AuditEventInput {
  const payload = event.payload ?? {};
  event.payload = payload;
  if (masks === undefined) {
    payload.result = log.result;
    payload.input_omitted = 'decision-log masks unavailable';
    return event;
  }
  payload.input = log.input;
  payload.result = log.result;
  if (masks.length > 0) event.masks = masks;
  return event;
}

function masksFor(log: DecisionLog, logger: Logger): AuditMask[] | undefined {
  if (log.bundle === null) return [];
  try {
    const value = log.bundle.engine.evaluate(MASK_PATH, { input: log.input, result: log.result });
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length > MAX_MASKS) return undefined;
    const masks: AuditMask[] = [];
    for (const mask of value) {
      const translated = translatedMask(mask);
      if (translated === undefined) return undefined;
      masks.push(translated);
    }
    return masks;
  } catch (error) {
    logger.warn({ err: error, revision: log.bundle.revision }, 'system.log.mask failed: decision input left out of the audit event');
    return undefined;
  }
}

/** An OPA mask (`"/input/x"` or `{op, path, value}`) as a pointer into the audit event. */
function translatedMask(mask: unknown): AuditMask | undefined {
  if (typeof mask === 'string') return inPayload(mask);
  if (typeof mask !== 'object' || mask === null) return undefined;
  const { op, path, value } = mask as { op?: unknown; path?: unknown; value?: unknown };
  const pointer = typeof path === 'string' ? inPayload(path) : undefined;
  if (pointer === undefined || (op !== 'remove' && op !== 'upsert')) return undefined;
  return op === 'upsert' ? { op, path: pointer, value } : { op, path: pointer };
}

function inPayload(pointer: string): string | undefined {
  return /^\/(input|result)(\/|$)/.test(pointer) && pointer.length > 1 ? `/payload${pointer}` : undefined;
}
