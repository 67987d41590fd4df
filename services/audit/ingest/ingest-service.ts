import type { AuditEvent, IngestResult } from '../../common/contracts/audit-event';
import type { AuditMetrics } from '../audit-metrics';
import type { EventWriter } from '../store/event-writer';
import { mapInSlices } from './map-in-slices';
import { prepareEvent } from './prepare-event';
import type { Redactor } from './redaction';

export type IngestSource = 'events' | 'gateway';

/** Validated events in, committed events out: masks, redaction, chaining and storage, measured. */
export interface IngestService {
  ingest(events: readonly AuditEvent[], source: IngestSource): Promise<IngestResult>;
}

export function createIngestService(writer: EventWriter, redactor: Redactor, metrics: AuditMetrics): IngestService {
  return {
    async ingest(events, source) {
      const stopTimer = metrics.batchSeconds.startTimer();
      const prepared = await mapInSlices(events, (event, index) => prepareEvent(event, redactor, index));
      const result = await writer.write(prepared);
      stopTimer();
      metrics.batchSize.observe(events.length);
      metrics.eventsIngested.inc({ source }, result.accepted);
      if (result.duplicates > 0) metrics.eventsDuplicate.inc({ source }, result.duplicates);
      return result;
    },
  };
}
