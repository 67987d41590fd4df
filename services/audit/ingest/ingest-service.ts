import type { IngestResult } from '../../common/contracts/audit-event';
import type { AuditMetrics } from '../audit-metrics';
import type { EventWriter } from '../store/event-writer';
import type { BatchBody } from './batch-body';
import { prepareBatch } from './batch-preparation';
import type { BatchPreparer } from './batch-preparer';
import type { PendingEvent } from './pending-event';
import type { Redactor } from './redaction';

export type IngestSource = 'events' | 'gateway';

/** A request's events in, committed events out: validation, masks, redaction, chaining and storage, measured. */
export interface IngestService {
  /** A `POST /v1/events` body, prepared by the batch preparer (in a worker thread when there are workers). */
  ingestBody(body: BatchBody): Promise<IngestResult>;
  /** Events built in this process (the gateway route's one event); consumes `events` (see `prepareBatch`). */
  ingest(events: unknown[], source: IngestSource): Promise<IngestResult>;
}

export interface IngestDeps {
  writer: EventWriter;
  redactor: Redactor;
  preparer: BatchPreparer;
  metrics: AuditMetrics;
}

export function createIngestService(deps: IngestDeps): IngestService {
  const store = async (source: IngestSource, prepare: () => Promise<PendingEvent[]>): Promise<IngestResult> => {
    const stopTimer = deps.metrics.batchSeconds.startTimer();
    const pending = await prepare();
    const result = await deps.writer.write(pending);
    stopTimer();
    deps.metrics.batchSize.observe(pending.length);
    deps.metrics.eventsIngested.inc({ source }, result.accepted);
    if (result.duplicates > 0) deps.metrics.eventsDuplicate.inc({ source }, result.duplicates);
    return result;
  };
  return {
    ingestBody: (body) => store('events', () => deps.preparer.prepare(body)),
    ingest: (events, source) => store(source, () => prepareBatch(events, deps.redactor)),
  };
}
