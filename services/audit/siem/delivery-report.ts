/** One event on its way to a sink: the id it is tracked by and its encoded wire form. */
export interface EncodedEvent {
  eventId: string;
  text: string;
  bytes: number;
}

/**
 * What a sink did with a batch, per event: indexed, to be tried again (transient), or refused for good.
 * Every event of the batch is in exactly one of the lists.
 */
export interface DeliveryReport {
  delivered: string[];
  retry: { eventIds: string[]; error: string; retryAfterMs?: number } | undefined;
  rejected: { eventId: string; error: string }[];
}

export function allDelivered(batch: readonly EncodedEvent[]): DeliveryReport {
  return { delivered: batch.map((event) => event.eventId), retry: undefined, rejected: [] };
}

export function allRejected(batch: readonly EncodedEvent[], error: string): DeliveryReport {
  return { delivered: [], retry: undefined, rejected: batch.map((event) => ({ eventId: event.eventId, error })) };
}

/**
 * A failure of the whole request that may pass (connection refused, timeout, 408, 429, 5xx). It is thrown
 * rather than reported so the sink's circuit breaker counts it.
 */
export class TransientSinkError extends Error {
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'TransientSinkError';
    this.retryAfterMs = retryAfterMs;
  }
}
