import { performance } from 'node:perf_hooks';
import { RegoError } from '../../../rego';
import type { ActiveBundle, ExplainedRule } from '../../engines/decision-engine';
import { readDecision } from '../../decisions/decision-document';
import type { Evaluation } from '../../decisions/decision-point';
import type { PlaygroundEntrypoint, PlaygroundResult } from '../console-contract';

/**
 * Evaluates one input on a bundle with the explanation on. Unlike `/v1/authorize` it skips the decision
 * cache and records nothing in the audit trail: trying inputs is not a decision about a real request.
 */
export function evaluateInPlayground(bundle: ActiveBundle, entrypoint: PlaygroundEntrypoint, input: unknown, timeoutMs: number): PlaygroundResult {
  const explanation: ExplainedRule[] = [];
  const started = performance.now();
  let evaluation: Pick<Evaluation, 'outcome' | 'value' | 'error'>;
  try {
    const value = bundle.engine.evaluate(entrypoint.split('/'), input, { explain: true, explanation, deadline: started + timeoutMs });
    evaluation = { outcome: value === undefined ? 'undefined' : 'defined', value };
  } catch (error) {
    evaluation = { outcome: 'error', value: undefined, error: failureOf(error) };
  }
  const durationMs = performance.now() - started;
  const decision = readDecision({ ...evaluation, revision: bundle.revision, bundle, durationMs });
  return {
    entrypoint,
    revision: bundle.revision,
    engine: bundle.engine.kind,
    outcome: evaluation.outcome as PlaygroundResult['outcome'],
    decision,
    document: evaluation.value,
    explanation,
    ...(evaluation.error ? { error: evaluation.error } : {}),
    duration_ms: durationMs,
  };
}

/** Policy errors are shown to the policy's authors, so the engine's message (file:row: what) is kept. */
function failureOf(error: unknown): string {
  if (error instanceof RegoError) return error.format();
  if (error instanceof Error) return error.message;
  return 'policy evaluation failed';
}
