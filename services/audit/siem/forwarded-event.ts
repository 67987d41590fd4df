import type { ChainedEvent } from '../ingest/stored-event';

/**
 * A stored event on its way to a sink. Read back from the database it is the event; remembered from
 * ingest it is the canonical JSON text, which the raw format sends as it is and other formats parse.
 */
export interface ForwardedEvent {
  readonly eventId: string;
  readonly occurredAt: string;
  /** The event (after redaction), parsed from `canonical` on first use when that is what is held. */
  readonly event: ChainedEvent;
  /** The event's canonical JSON, when held: a JSON text of `event` with its keys sorted. */
  readonly canonical: string | undefined;
}

export function forwardedFromRow(event: ChainedEvent): ForwardedEvent {
  return { eventId: event.event_id, occurredAt: event.occurred_at, event, canonical: undefined };
}

export function forwardedFromCanonical(eventId: string, canonical: string, occurredAt: string): ForwardedEvent {
  return new RememberedEvent(eventId, canonical, occurredAt);
}

class RememberedEvent implements ForwardedEvent {
  #event: ChainedEvent | undefined;

  constructor(
    readonly eventId: string,
    readonly canonical: string,
    readonly occurredAt: string,
  ) {}

  get event(): ChainedEvent {
    this.#event ??= JSON.parse(this.canonical) as ChainedEvent;
    return this.#event;
  }
}
