import type { DecisionDocument } from '../contracts/authorize';
import type { Evaluation } from './decision-point';

/** Reads a decision document (`data.mcp.*.decision`) fail-closed: anything but `allow: true` denies. */
export function readDecision(evaluation: Evaluation): DecisionDocument {
  switch (evaluation.outcome) {
    case 'no_bundle':
    case 'error':
      return denial(evaluation.error ?? 'policy evaluation failed');
    case 'undefined':
      return denial('the policy produced no decision');
    case 'defined':
      return fromValue(evaluation.value);
  }
}

export function denial(reason: string): DecisionDocument {
  return { allow: false, reasons: [reason], cache_ttl: 0 };
}

function fromValue(value: unknown): DecisionDocument {
  if (!isObject(value) || typeof value.allow !== 'boolean') return denial('the policy produced a malformed decision');
  const allow = value.allow;
  const reasons = Array.isArray(value.reasons) ? value.reasons.filter((reason): reason is string => typeof reason === 'string') : [];
  if (!allow && reasons.length === 0) reasons.push('denied by policy');
  const ttl = value.cache_ttl;
  const document: DecisionDocument = {
    allow,
    reasons,
    cache_ttl: allow && typeof ttl === 'number' && Number.isInteger(ttl) && ttl > 0 ? ttl : 0,
  };
  if (isObject(value.filtered_parameters)) document.filtered_parameters = value.filtered_parameters;
  if (isObject(value.obligations)) document.obligations = value.obligations;
  return document;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
