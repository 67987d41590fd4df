import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { BundleSource } from '../bundles/bundle-source';
import type { ActiveBundle, ExplainedRule } from '../engines/decision-engine';
import { canonicalJson } from './canonical-json';
import type { DecisionCache } from './decision-cache';
import type { DecisionMetrics, DecisionResult } from './decision-metrics';

/** The outcome of evaluating one document: never throws, failures are outcomes. */
export interface Evaluation {
  outcome: 'defined' | 'undefined' | 'error' | 'no_bundle';
  /** The document's value as JSON when defined. */
  value: unknown;
  revision: string | null;
  /** The bundle that decided (its revision's `system.log.mask` masks the decision log). */
  bundle: ActiveBundle | null;
  cached: boolean;
  /** The decision cache's key (revision, entrypoint, canonical input), when the value came from or went into the cache. */
  cacheKey?: string;
  /** Why evaluation failed, worded for callers (no policy internals). */
  error?: string;
  explanation?: ExplainedRule[];
  /** Cache lookup plus evaluation. */
  durationMs: number;
}

export interface EvaluateRequest {
  /** Slash path of the document, e.g. `mcp/gateway/decision`. */
  entrypoint: string;
  path: readonly string[];
  input: unknown;
  explain?: boolean;
}

export interface DecisionPoint {
  evaluate(request: EvaluateRequest): Evaluation;
  /** The bundle in force now (for discovery and health). */
  bundle(): ActiveBundle | null;
}

export interface DecisionPointDeps {
  bundles: BundleSource;
  cache: DecisionCache;
  metrics: DecisionMetrics;
  logger: Logger;
  /** Evaluation deadline in milliseconds; past it the decision fails closed. */
  timeoutMs: number;
}

/**
 * Reads the active bundle once per decision (so the whole decision runs on one revision), answers from
 * the cache when it can, and turns every engine failure into an `error` outcome.
 */
export function createDecisionPoint(deps: DecisionPointDeps): DecisionPoint {
  let cachedFor: ActiveBundle | null = null;

  function evaluate(request: EvaluateRequest): Evaluation {
    const started = performance.now();
    const bundle = deps.bundles.current();
    if (bundle === null) return finish(request, started, { outcome: 'no_bundle', value: undefined, revision: null, bundle: null, cached: false, error: 'no policy bundle is active' });
    if (bundle !== cachedFor) {
      deps.cache.clear();
      cachedFor = bundle;
    }
    const key = request.explain ? undefined : `${bundle.revision}\n${request.entrypoint}\n${canonicalJson(request.input)}`;
    if (key !== undefined) {
      const hit = deps.cache.get(key);
      if (hit !== undefined) {
        deps.metrics.cacheHit(request.entrypoint);
        return finish(request, started, { outcome: 'defined', value: hit, revision: bundle.revision, bundle, cached: true, cacheKey: key });
      }
      deps.metrics.cacheMiss(request.entrypoint);
    }
    const evaluation = evaluateOn(bundle, request, started);
    const cacheable = key !== undefined && evaluation.outcome === 'defined' && cacheTtlOf(evaluation.value) > 0;
    if (cacheable) deps.cache.set(key, evaluation.value, cacheTtlOf(evaluation.value));
    return finish(request, started, cacheable ? { ...evaluation, cacheKey: key } : evaluation);
  }

  function evaluateOn(bundle: ActiveBundle, request: EvaluateRequest, started: number): Omit<Evaluation, 'durationMs'> {
    const explanation: ExplainedRule[] | undefined = request.explain ? [] : undefined;
    try {
      const value = bundle.engine.evaluate(request.path, request.input, {
        deadline: started + deps.timeoutMs,
        explain: request.explain,
        explanation,
      });
      // An engine that cannot interrupt itself (a long built-in call) still may not answer late.
      if (performance.now() > started + deps.timeoutMs) {
        return { outcome: 'error', value: undefined, revision: bundle.revision, bundle, cached: false, error: 'policy evaluation timed out' };
      }
      return { outcome: value === undefined ? 'undefined' : 'defined', value, revision: bundle.revision, bundle, cached: false, explanation };
    } catch (error) {
      deps.logger.warn({ err: error, entrypoint: request.entrypoint, revision: bundle.revision }, 'policy evaluation failed');
      return { outcome: 'error', value: undefined, revision: bundle.revision, bundle, cached: false, error: describeFailure(error, started + deps.timeoutMs) };
    }
  }

  function finish(request: EvaluateRequest, started: number, evaluation: Omit<Evaluation, 'durationMs'>): Evaluation {
    const durationMs = performance.now() - started;
    deps.metrics.decided(request.entrypoint, resultOf(evaluation), durationMs / 1000);
    return { ...evaluation, durationMs };
  }

  return { evaluate, bundle: () => deps.bundles.current() };
}

function resultOf(evaluation: Omit<Evaluation, 'durationMs'>): DecisionResult {
  if (evaluation.outcome === 'no_bundle' || evaluation.outcome === 'error') return 'error';
  if (evaluation.outcome === 'undefined') return 'undefined';
  const allow = (evaluation.value as { allow?: unknown } | null)?.allow;
  return allow === true ? 'allow' : allow === false ? 'deny' : 'defined';
}

/** Only documents that say how long they may be reused are cached. */
function cacheTtlOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const ttl = (value as { cache_ttl?: unknown }).cache_ttl;
  return typeof ttl === 'number' && Number.isFinite(ttl) ? ttl : 0;
}

function describeFailure(error: unknown, deadline: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'eval_cancel_error' || performance.now() > deadline) return 'policy evaluation timed out';
  return typeof code === 'string' && /^[a-z_]+$/.test(code) ? `policy evaluation failed (${code})` : 'policy evaluation failed';
}
