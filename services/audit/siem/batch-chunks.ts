import type { EncodedEvent } from './delivery-report';

/** Bytes a request may add per event (separators) beyond the events' own encoding, plus brackets. */
const FRAMING_BYTES_PER_EVENT = 1;
const FRAMING_BYTES_PER_REQUEST = 2;

/** Splits events, in order, into requests of at most `maxEvents` events and `maxBytes` bytes. */
export function chunkByLimits(events: readonly EncodedEvent[], maxEvents: number, maxBytes: number): EncodedEvent[][] {
  const chunks: EncodedEvent[][] = [];
  let current: EncodedEvent[] = [];
  let bytes = FRAMING_BYTES_PER_REQUEST;
  for (const event of events) {
    const size = event.bytes + FRAMING_BYTES_PER_EVENT;
    if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = FRAMING_BYTES_PER_REQUEST;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Whether one event alone fits in a request. */
export function fitsInRequest(event: EncodedEvent, maxBytes: number): boolean {
  return event.bytes + FRAMING_BYTES_PER_EVENT + FRAMING_BYTES_PER_REQUEST <= maxBytes;
}
