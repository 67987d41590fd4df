import { Counter, Gauge, type Registry } from 'prom-client';
import { BUNDLE_FAILURE_REASONS, type BundleFailureReason } from './active-bundle-builder';
import type { BundleSource } from './bundle-source';

export interface BundleMetrics {
  activated(): void;
  failed(reason: BundleFailureReason): void;
}

/**
 * `pdp_bundle_activations_total`, `pdp_bundle_failures_total{reason}` and
 * `pdp_bundle_activated_timestamp_seconds{revision}` (the active revision and when it became active;
 * `pdp_bundle_info` of the decision metrics carries its engine and source).
 */
export function createBundleMetrics(registry: Registry, bundles: BundleSource): BundleMetrics {
  const activations = new Counter({
    name: 'pdp_bundle_activations_total',
    help: 'Policy bundles activated',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'pdp_bundle_failures_total',
    help: 'Policy bundles that were not activated, by reason (download, parse, verify, compile); the last good bundle stayed active',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of BUNDLE_FAILURE_REASONS) failures.labels(reason);
  new Gauge({
    name: 'pdp_bundle_activated_timestamp_seconds',
    help: 'When the active bundle revision was activated (Unix time); absent while no bundle is active',
    labelNames: ['revision'] as const,
    registers: [registry],
    // Cluster workers each activate; the latest activation of a revision is the one to show.
    aggregator: 'max',
    collect() {
      this.reset();
      const bundle = bundles.current();
      if (bundle) this.set({ revision: bundle.revision }, bundle.activatedAt.getTime() / 1000);
    },
  });
  return {
    activated: () => activations.inc(),
    failed: (reason) => failures.labels(reason).inc(),
  };
}
