import { pendingEventsOfBody, type BatchBody } from './batch-body';
import type { PendingEvent } from './pending-event';
import type { Redactor } from './redaction';

/**
 * Turns `POST /v1/events` bodies into pending events: on the event loop (`inlinePreparer`), or in worker
 * threads (`preparation-workers.ts`) so that decoding, parsing, validation and preparation, about half of the
 * service's CPU per event, run beside the loop that writes to the database.
 */
export interface BatchPreparer {
  /** Takes the body's bytes: they may be handed over to another thread and unusable afterwards. */
  prepare(body: BatchBody): Promise<PendingEvent[]>;
  close(): Promise<void>;
}

export function inlinePreparer(redactor: Redactor): BatchPreparer {
  return {
    prepare: (body) => pendingEventsOfBody(body, redactor),
    close: async () => undefined,
  };
}
