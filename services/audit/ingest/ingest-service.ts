import type { IngestResult } from '../../common/contracts/audit-event';
import type { AuditMetrics } from '../audit-metrics';
import type { EventWriter } from '../store/event-writer';
import { prepareBatch } from './batch-preparation';
import type { Redactor } from './redaction';

export type IngestSource = 'events' | 'gateway';

/** A request's events in, committed events out: validation, masks, redaction, chaining and storage, measured. */
export interface IngestService {
  /** Consumes `events` (see `prepareBatch`). */
  ingest(events: unknown[], source: IngestSource): Promise<IngestResult>;
}

export function createIngestService(writer: EventWriter, redactor: Redactor, metrics: AuditMetrics): IngestService {
  return {
    async ingest(events, source) {
      const stopTimer = metrics.batchSeconds.startTimer();
      const result = await writer.write(await prepareBatch(events, redactor));
      stopTimer();
      metrics.batchSize.observe(events.length);
      metrics.eventsIngested.inc({ source }, result.accepted);
      if (result.duplicates > 0) metrics.eventsDuplicate.inc({ source }, result.duplicates);
      return result;
    },
  };
}
