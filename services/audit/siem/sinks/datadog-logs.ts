import os from 'node:os';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { utf8Joined } from '../../../common/text/utf8-joined';
import type { SinkOf } from '../sink-config';
import type { EncodedEvent } from '../delivery-report';
import { formattedJson } from '../formats/format-event';
import { createSinkHttpClient, failedRequestReport } from './http-client';
import { deliverSplittingTooLarge, type SendResult } from './payload-too-large';
import type { SinkTransport } from './sink-transport';

const gzipAsync = promisify(gzip);

/** Datadog refuses a single log entry above 1 MB. */
const MAX_ENTRY_BYTES = 1_000_000;

/**
 * Datadog Logs intake v2: a gzipped JSON array of log entries (≤ 1000 entries and ≤ 5 MB before
 * compression, enforced by the sink's batch limits), `DD-API-KEY`; 202 means accepted. A 413 splits the
 * batch in halves.
 */
export function createDatadogTransport(sink: SinkOf<'datadog'>): SinkTransport {
  const client = createSinkHttpClient(sink.url, { timeoutMs: sink.timeout_ms, tls: sink.tls, maxSockets: sink.concurrency });
  const hostname = sink.hostname ?? os.hostname();

  return {
    encode: (forwarded) =>
      JSON.stringify({
        ddsource: sink.ddsource,
        service: sink.service,
        hostname,
        ...(sink.ddtags !== undefined ? { ddtags: sink.ddtags } : {}),
        // Datadog parses a JSON message into attributes.
        message: formattedJson(forwarded, sink.format),
      }),
    async deliver(batch) {
      const oversized = batch.filter((event) => event.bytes > MAX_ENTRY_BYTES);
      const sendable = batch.filter((event) => event.bytes <= MAX_ENTRY_BYTES);
      const report = sendable.length > 0 ? await deliverSplittingTooLarge(sendable, send) : { delivered: [], retry: undefined, rejected: [] };
      return { ...report, rejected: [...report.rejected, ...oversized.map((event) => ({ eventId: event.eventId, error: 'log entry larger than 1 MB' }))] };
    },
    close: async () => client.close(),
  };

  async function send(batch: readonly EncodedEvent[]): Promise<SendResult> {
    const body = await gzipAsync(utf8Joined(batch.map((event) => event.text), ',', '[', ']'));
    const response = await client.request({
      path: '/api/v2/logs',
      headers: { 'dd-api-key': sink.api_key, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    });
    if (response.status === 202 || response.status === 200) return { delivered: batch.map((event) => event.eventId), retry: undefined, rejected: [] };
    if (response.status === 413) return 'payload_too_large';
    return failedRequestReport(response, batch);
  }
}
