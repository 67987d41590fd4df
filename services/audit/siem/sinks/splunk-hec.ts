import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { utf8Joined } from '../../../common/text/utf8-joined';
import type { SinkOf } from '../sink-config';
import { allDelivered, TransientSinkError, type DeliveryReport, type EncodedEvent } from '../delivery-report';
import { formattedJson } from '../formats/format-event';
import { createSinkHttpClient, failedRequestReport, responseExcerpt, type SinkHttpClient } from './http-client';
import type { SinkTransport } from './sink-transport';

/**
 * Splunk HTTP Event Collector: events as HEC envelopes concatenated in one body (not a JSON array),
 * `Authorization: Splunk <token>`. With indexer acknowledgement the request carries a channel and the
 * batch counts as delivered only once `/services/collector/ack` reports its ack id indexed.
 */
export function createSplunkHecTransport(sink: SinkOf<'splunk_hec'>): SinkTransport {
  const client = createSinkHttpClient(baseUrlOf(sink.url), { timeoutMs: sink.timeout_ms, tls: sink.tls, maxSockets: sink.concurrency });
  const channel = sink.channel ?? randomUUID();
  let closed = false;
  const headers: Record<string, string> = {
    authorization: `Splunk ${sink.token}`,
    'content-type': 'application/json',
    ...(sink.ack ? { 'x-splunk-request-channel': channel } : {}),
  };

  // The envelope's members between `time` and `event` are the same for every event of the sink.
  const sinkFields = JSON.stringify({
    ...(sink.host !== undefined ? { host: sink.host } : {}),
    source: sink.source,
    sourcetype: sink.sourcetype,
    ...(sink.index !== undefined ? { index: sink.index } : {}),
  }).slice(1, -1);

  return {
    encode: (forwarded) => `{"time":${Date.parse(forwarded.occurredAt) / 1000},${sinkFields},"event":${formattedJson(forwarded, sink.format)}}`,
    async deliver(batch) {
      const response = await client.request({ path: '/services/collector/event', headers, body: utf8Joined(batch.map((event) => event.text), '\n') });
      if (response.status === 400) {
        const partial = partialFailure(response.body, batch, responseExcerpt(response));
        if (partial) return partial;
      }
      if (response.status < 200 || response.status > 299) return failedRequestReport(response, batch);
      if (sink.ack) await awaitAck(client, headers, channel, ackIdOf(response.body), sink.ack, () => closed);
      return allDelivered(batch);
    },
    close: async () => {
      closed = true;
      client.close();
    },
  };
}

/** The collector's base URL, whether the sink was configured with it or with the endpoint itself. */
function baseUrlOf(url: string): string {
  const base = new URL(url);
  base.pathname = base.pathname.replace(/\/services\/collector(\/event(\/1\.0)?)?\/?$/, '') || '/';
  return base.toString();
}

/**
 * HEC parses the body in order and stops at the first bad event: a 400 naming `invalid-event-number` N
 * means events 0..N-1 were indexed, N is refused, and the rest were never looked at (they go again).
 */
function partialFailure(body: string, batch: readonly EncodedEvent[], error: string): DeliveryReport | undefined {
  const index = parsed(body)?.['invalid-event-number'];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= batch.length) return undefined;
  const rest = batch.slice(index + 1).map((event) => event.eventId);
  return {
    delivered: batch.slice(0, index).map((event) => event.eventId),
    rejected: [{ eventId: batch[index]!.eventId, error }],
    retry: rest.length > 0 ? { eventIds: rest, error: 'not processed: an earlier event of the batch was refused', retryAfterMs: 0 } : undefined,
  };
}

function ackIdOf(body: string): number {
  const ackId = parsed(body)?.ackId;
  if (typeof ackId !== 'number') throw new TransientSinkError('acknowledgement is configured but the collector returned no ackId');
  return ackId;
}

/** Polls until the indexers acknowledge the batch; not acknowledged in time means sending it again. */
async function awaitAck(
  client: SinkHttpClient,
  headers: Record<string, string>,
  channel: string,
  ackId: number,
  settings: { poll_interval_ms: number; timeout_ms: number },
  closed: () => boolean,
): Promise<void> {
  const deadline = Date.now() + settings.timeout_ms;
  for (;;) {
    await sleep(settings.poll_interval_ms);
    if (closed()) throw new TransientSinkError('stopped before the batch was acknowledged');
    const response = await client
      .request({ path: `/services/collector/ack?channel=${encodeURIComponent(channel)}`, headers, body: JSON.stringify({ acks: [ackId] }) })
      .catch((error: unknown) => {
        // Stopping cuts the poll's connection; say why the row goes back, not how the socket died.
        throw closed() ? new TransientSinkError('stopped before the batch was acknowledged') : error;
      });
    if (response.status !== 200) throw new TransientSinkError(`acknowledgement poll failed: ${responseExcerpt(response)}`);
    const acks = parsed(response.body)?.acks as Record<string, unknown> | undefined;
    if (acks?.[String(ackId)] === true) return;
    if (Date.now() >= deadline) throw new TransientSinkError(`batch not acknowledged within ${settings.timeout_ms} ms`);
  }
}

function parsed(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
