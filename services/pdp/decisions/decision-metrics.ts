import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BundleSource } from '../bundles/bundle-source';

export type DecisionResult = 'allow' | 'deny' | 'defined' | 'undefined' | 'error';

export interface DecisionMetrics {
  decided(entrypoint: string, result: DecisionResult, seconds: number): void;
  cacheHit(entrypoint: string): void;
  cacheMiss(entrypoint: string): void;
}

const KNOWN_ENTRYPOINTS = new Set(['mcp/gateway/decision', 'mcp/a2a/decision']);

/** Data API paths are caller-chosen: only known entrypoints get their own label value. */
function entrypointLabel(entrypoint: string): string {
  return KNOWN_ENTRYPOINTS.has(entrypoint) ? entrypoint : 'other';
}

/**
 * `pdp_decisions_total{entrypoint,result}`, `pdp_decision_duration_seconds{entrypoint}`,
 * `pdp_decision_cache_{hits,misses}_total{entrypoint}`, `pdp_bundle_info{revision,engine,source}`.
 * Label children are bound once per label set, so the hot path does no label hashing.
 */
export function createDecisionMetrics(registry: Registry, bundles: BundleSource): DecisionMetrics {
  const decisions = new Counter({
    name: 'pdp_decisions_total',
    help: 'Decisions made, by entrypoint and result (allow, deny, defined, undefined, error)',
    labelNames: ['entrypoint', 'result'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'pdp_decision_duration_seconds',
    help: 'Server-side decision time (cache lookup and policy evaluation), by entrypoint',
    labelNames: ['entrypoint'] as const,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  });
  const hits = new Counter({
    name: 'pdp_decision_cache_hits_total',
    help: 'Decisions answered from the decision cache',
    labelNames: ['entrypoint'] as const,
    registers: [registry],
  });
  const misses = new Counter({
    name: 'pdp_decision_cache_misses_total',
    help: 'Decisions that were not in the decision cache and were evaluated',
    labelNames: ['entrypoint'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'pdp_bundle_info',
    help: 'The active bundle (value 1), by revision, engine and source; absent while no bundle is active',
    labelNames: ['revision', 'engine', 'source'] as const,
    registers: [registry],
    // Across cluster workers: 1 per active revision, not the number of workers.
    aggregator: 'max',
    collect() {
      this.reset();
      const bundle = bundles.current();
      if (bundle) this.set({ revision: bundle.revision, engine: bundle.engine.kind, source: bundle.source }, 1);
    },
  });

  const decisionChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(seconds: number): void }>();
  const hitChildren = new Map<string, { inc(): void }>();
  const missChildren = new Map<string, { inc(): void }>();

  function child<T>(children: Map<string, T>, key: string, make: () => T): T {
    let found = children.get(key);
    if (found === undefined) {
      found = make();
      children.set(key, found);
    }
    return found;
  }

  return {
    decided(entrypoint, result, seconds) {
      const label = entrypointLabel(entrypoint);
      child(decisionChildren, `${label} ${result}`, () => decisions.labels(label, result)).inc();
      child(durationChildren, label, () => duration.labels(label)).observe(seconds);
    },
    cacheHit(entrypoint) {
      const label = entrypointLabel(entrypoint);
      child(hitChildren, label, () => hits.labels(label)).inc();
    },
    cacheMiss(entrypoint) {
      const label = entrypointLabel(entrypoint);
      child(missChildren, label, () => misses.labels(label)).inc();
    },
  };
}
