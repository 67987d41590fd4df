import { Counter, Gauge, type Registry } from 'prom-client';

export type DropReason = 'invalid' | 'rejected' | 'spool_full' | 'queue_full';

export interface AuditClientMetrics {
  recorded: Counter<string>;
  sent: Counter<string>;
  dropped: Counter<'reason'>;
  sendFailures: Counter<string>;
  spoolEvents: Gauge<string>;
  spoolBytes: Gauge<string>;
  queueEvents: Gauge<string>;
}

/** Metrics of the audit client; on a throwaway registry when the producer passes none. */
export function createAuditClientMetrics(registry: Registry | undefined): AuditClientMetrics {
  const registers = registry ? [registry] : [];
  return {
    recorded: new Counter({ name: 'audit_client_events_recorded_total', help: 'Events handed to the audit client', registers }),
    sent: new Counter({ name: 'audit_client_events_sent_total', help: 'Events the audit service acknowledged (202)', registers }),
    dropped: new Counter({
      name: 'audit_client_events_dropped_total',
      help: 'Events given up on: invalid, rejected by the service (4xx), spool size limit reached, or memory queue full',
      labelNames: ['reason'] as const,
      registers,
    }),
    sendFailures: new Counter({ name: 'audit_client_send_failures_total', help: 'Batches that failed to reach the audit service and were spooled or retried', registers }),
    spoolEvents: new Gauge({ name: 'audit_client_spool_events', help: 'Events waiting in the on-disk spool', registers }),
    spoolBytes: new Gauge({ name: 'audit_client_spool_bytes', help: 'Size of the on-disk spool in bytes', registers }),
    queueEvents: new Gauge({ name: 'audit_client_queue_events', help: 'Events waiting in memory for the next batch', registers }),
  };
}
