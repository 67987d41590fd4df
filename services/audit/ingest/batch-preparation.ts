import { HttpError, validationDetails, type ErrorDetail } from '../../common';
import { auditEventSchema } from '../../common/contracts/audit-event';
import { mapInSlices } from './map-in-slices';
import { pendingEventOf, type PendingEvent } from './pending-event';
import { prepareEvent } from './prepare-event';
import type { Redactor } from './redaction';

/**
 * A request's events → what the writer stores: each validated, prepared (masks, redaction, time) and turned
 * into its texts in one pass, a slice at a time (`map-in-slices.ts` says why). `events` is consumed: each
 * slot is cleared once its event is prepared, so the request's parsed objects can be collected while the
 * batch's transaction runs; only the pending events' strings stay alive that long.
 *
 * A 400 names every field the schema refuses in the whole batch; only a batch the schema accepts can fail
 * preparation (a time out of range, masks that break the event), and then the first such event is named.
 */
export async function prepareBatch(events: unknown[], redactor: Redactor, now: Date = new Date()): Promise<PendingEvent[]> {
  const invalid: ErrorDetail[] = [];
  let preparationError: unknown;
  const pending = await mapInSlices(events, (event, index) => {
    events[index] = undefined;
    const result = auditEventSchema.safeParse(event);
    if (!result.success) {
      for (const detail of validationDetails(result.error)) invalid.push({ ...detail, path: `events.${index}${detail.path === '' ? '' : `.${detail.path}`}` });
      return undefined;
    }
    if (invalid.length > 0 || preparationError !== undefined) return undefined;
    try {
      return pendingEventOf(prepareEvent(result.data, redactor, index, now));
    } catch (error) {
      preparationError = error;
      return undefined;
    }
  });
  if (invalid.length > 0) throw new HttpError(400, 'invalid_request', 'invalid request body', invalid);
  if (preparationError !== undefined) throw preparationError;
  return pending as PendingEvent[];
}
