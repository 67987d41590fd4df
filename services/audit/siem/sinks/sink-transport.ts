import type { DeliveryReport, EncodedEvent } from '../delivery-report';
import type { ForwardedEvent } from '../forwarded-event';

/**
 * A sink's wire protocol: how one event is encoded, and how a batch of encoded events (within the sink's
 * limits) is sent. `deliver` throws TransientSinkError when the whole request may succeed later.
 */
export interface SinkTransport {
  encode(forwarded: ForwardedEvent): string;
  deliver(batch: readonly EncodedEvent[]): Promise<DeliveryReport>;
  close(): Promise<void>;
}
