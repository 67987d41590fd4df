import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { BundleSource } from '../bundles/bundle-source';
import type { ActiveBundle, ExplainedRule } from '../engines/decision-engine';
import { canonicalJson } from '../../common/text/canonical-json';
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
  /**
   * Revision, entrypoint and canonical input: the decision cache's key, computed for every question a
   * bundle answered without `explain` (cached or not), so the audit recorder need not compute it again.
   */
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
  /** `canonicalJson(input)`, when the caller has it already (a repeated request prepared once). */
  canonicalInput?: string;
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
    if (bundle === null) return finish(request, started, failed(null, 'no_bundle', 'no policy bundle is active'));
    if (bundle !== cachedFor) {
      deps.cache.clear();
      cachedFor = bundle;
    }
    const key = request.explain ? undefined : cacheKeyOf(bundle, request);
    if (key !== undefined) {
      const hit = deps.cache.get(key);
      if (hit !== undefined) {
        deps.metrics.cacheHit(request.entrypoint);
        return finish(request, started, { outcome: 'defined', value: hit, revision: bundle.revision, bundle, cacheKey: key, durationMs: 0 });
      }
      deps.metrics.cacheMiss(request.entrypoint);
    }
    const evaluation = evaluateOn(bundle, request, started);
    evaluation.cacheKey = key;
    if (key !== undefined && evaluation.outcome === 'defined') {
      const ttl = cacheTtlOf(evaluation.value);
      if (ttl > 0) deps.cache.set(key, evaluation.value, ttl);
    }
    return finish(request, started, evaluation);
  }

  function evaluateOn(bundle: ActiveBundle, request: EvaluateRequest, started: number): Evaluation {
    const explanation: ExplainedRule[] | undefined = request.explain ? [] : undefined;
    try {
      const value = bundle.engine.evaluate(request.path, request.input, {
        deadline: started + deps.timeoutMs,
        explain: request.explain,
        explanation,
      });
      // An engine that cannot interrupt itself (a long built-in call) still may not answer late.
      if (performance.now() > started + deps.timeoutMs) return failed(bundle, 'error', 'policy evaluation timed out');
      return { outcome: value === undefined ? 'undefined' : 'defined', value, revision: bundle.revision, bundle, explanation, durationMs: 0 };
    } catch (error) {
      deps.logger.warn({ err: error, entrypoint: request.entrypoint, revision: bundle.revision }, 'policy evaluation failed');
      return failed(bundle, 'error', describeFailure(error, started + deps.timeoutMs));
    }
  }

  /** Stamps the duration on the evaluation (built here, so completing it in place is safe) and counts it. */
  function finish(request: EvaluateRequest, started: number, evaluation: Evaluation): Evaluation {
    evaluation.durationMs = performance.now() - started;
    deps.metrics.decided(request.entrypoint, resultOf(evaluation), evaluation.durationMs / 1000);
    return evaluation;
  }

  return { evaluate, bundle: () => deps.bundles.current() };
}

/**
 * Revision, entrypoint and canonical input; none for an input longer than `MAX_CACHED_INPUT`: the
 * cache (and the audit recorder's masks, which go by the same key) would hold its whole text.
 */
function cacheKeyOf(bundle: ActiveBundle, request: EvaluateRequest): string | undefined {
  const canonical = request.canonicalInput ?? canonicalJson(request.input);
  return canonical.length > MAX_CACHED_INPUT ? undefined : `${bundle.revision}\n${request.entrypoint}\n${canonical}`;
}

/** In UTF-16 units of canonical JSON: 10,000 cache entries of this size hold at most ~330 MB of keys. */
const MAX_CACHED_INPUT = 16 * 1024;

function failed(bundle: ActiveBundle | null, outcome: 'error' | 'no_bundle', error: string): Evaluation {
  return { outcome, value: undefined, revision: bundle?.revision ?? null, bundle, error, durationMs: 0 };
}

function resultOf(evaluation: Evaluation): DecisionResult {
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
