import { TransientSinkError, type DeliveryReport, type EncodedEvent } from '../delivery-report';

/** What a send of one request reports: the sink's verdict, or that the request body was too large (413). */
export type SendResult = DeliveryReport | 'payload_too_large';

/**
 * Sends a batch; a 413 answer splits it in halves, each sent on its own (and split again if needed), so one
 * oversized request does not dead-letter events that fit. An event refused alone is rejected with that reason.
 * A transient failure after some halves were accepted keeps them delivered and retries only the rest.
 */
export async function deliverSplittingTooLarge(batch: readonly EncodedEvent[], send: (batch: readonly EncodedEvent[]) => Promise<SendResult>): Promise<DeliveryReport> {
  const result = await send(batch);
  if (result !== 'payload_too_large') return result;
  if (batch.length === 1) {
    const event = batch[0]!;
    return { delivered: [], retry: undefined, rejected: [{ eventId: event.eventId, error: `HTTP 413: the sink refuses this event even alone (${event.bytes} bytes encoded)` }] };
  }
  const middle = Math.ceil(batch.length / 2);
  const first = await deliverSplittingTooLarge(batch.slice(0, middle), send);
  const rest = batch.slice(middle);
  let second: DeliveryReport;
  try {
    second = await deliverSplittingTooLarge(rest, send);
  } catch (error) {
    if (!(error instanceof TransientSinkError)) throw error;
    second = { delivered: [], rejected: [], retry: { eventIds: rest.map((event) => event.eventId), error: error.message, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) } };
  }
  return mergeReports(first, second);
}

function mergeReports(a: DeliveryReport, b: DeliveryReport): DeliveryReport {
  const retry = a.retry && b.retry
    ? { eventIds: [...a.retry.eventIds, ...b.retry.eventIds], error: a.retry.error, ...retryAfterOf(a, b) }
    : (a.retry ?? b.retry);
  return { delivered: [...a.delivered, ...b.delivered], rejected: [...a.rejected, ...b.rejected], retry };
}

function retryAfterOf(a: DeliveryReport, b: DeliveryReport): { retryAfterMs?: number } {
  const asked = [a.retry?.retryAfterMs, b.retry?.retryAfterMs].filter((ms): ms is number => ms !== undefined);
  return asked.length > 0 ? { retryAfterMs: Math.max(...asked) } : {};
}
