import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const BREAKER_STATES = { closed: 0, half_open: 1, open: 2 } as const;

/** The SIEM forwarder's metrics, per sink. */
export interface SiemMetrics {
  lagSeconds: Gauge<'sink'>;
  delivered: Counter<'sink'>;
  failed: Counter<'sink' | 'kind'>;
  deadLettered: Counter<'sink'>;
  deadLettersOpen: Gauge<'sink'>;
  breakerState: Gauge<'sink'>;
  requestSeconds: Histogram<'sink'>;
}

export function createSiemMetrics(registry: Registry): SiemMetrics {
  return {
    lagSeconds: new Gauge({
      name: 'audit_siem_lag_seconds',
      help: 'Age of the oldest stored event not yet delivered to the sink (0 when caught up)',
      labelNames: ['sink'] as const,
      registers: [registry],
    }),
    delivered: new Counter({
      name: 'audit_siem_events_delivered_total',
      help: 'Events the sink accepted',
      labelNames: ['sink'] as const,
      registers: [registry],
    }),
    failed: new Counter({
      name: 'audit_siem_events_failed_total',
      help: 'Event delivery attempts that failed, by kind: transient (retried) or permanent (dead-lettered at once)',
      labelNames: ['sink', 'kind'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'audit_siem_dead_letters_total',
      help: 'Events moved to the dead-letter table (after max_attempts or a permanent refusal)',
      labelNames: ['sink'] as const,
      registers: [registry],
    }),
    deadLettersOpen: new Gauge({
      name: 'audit_siem_dead_letters',
      help: 'Dead letters of the sink not redriven yet',
      labelNames: ['sink'] as const,
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'audit_siem_breaker_state',
      help: 'Circuit breaker of the sink: 0 closed, 1 half-open, 2 open',
      labelNames: ['sink'] as const,
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'audit_siem_request_duration_seconds',
      help: 'Time to deliver one batch to the sink (including acknowledgement polling)',
      labelNames: ['sink'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
