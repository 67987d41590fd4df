import { Counter, Histogram, type Registry } from 'prom-client';

/** The audit service's own metrics, registered on the app's registry. */
export interface AuditMetrics {
  eventsIngested: Counter<'source'>;
  eventsDuplicate: Counter<'source'>;
  batchSeconds: Histogram<string>;
  batchSize: Histogram<string>;
  verifyRuns: Counter<'result'>;
}

export function createAuditMetrics(registry: Registry): AuditMetrics {
  return {
    eventsIngested: new Counter({
      name: 'audit_events_ingested_total',
      help: 'Events stored (committed), by ingest endpoint',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    eventsDuplicate: new Counter({
      name: 'audit_events_duplicate_total',
      help: 'Events received again (same event_id) and not stored a second time',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'audit_ingest_batch_duration_seconds',
      help: 'Time to prepare, chain and commit one ingest batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'audit_ingest_batch_events',
      help: 'Events per ingest batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    verifyRuns: new Counter({
      name: 'audit_verify_runs_total',
      help: 'Hash-chain verifications, by result (intact or broken)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}
