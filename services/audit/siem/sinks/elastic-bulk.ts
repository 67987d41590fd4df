import { utf8Joined } from '../../../common/text/utf8-joined';
import type { SinkOf } from '../sink-config';
import { TransientSinkError, type DeliveryReport, type EncodedEvent } from '../delivery-report';
import { formattedJson } from '../formats/format-event';
import { isTransientStatus } from '../retry-policy';
import { createSinkHttpClient, failedRequestReport } from './http-client';
import { deliverSplittingTooLarge } from './payload-too-large';
import type { SinkTransport } from './sink-transport';

interface BulkItem {
  status?: number;
  error?: { type?: string; reason?: string };
}

/**
 * Elasticsearch `_bulk`: NDJSON `create` actions whose `_id` is the event id, so a retried batch cannot
 * index an event twice; a 409 (document exists) therefore counts as delivered. Items are judged one by one.
 * A 413 (body above `http.max_content_length`) splits the batch in halves.
 */
export function createElasticTransport(sink: SinkOf<'elastic'>): SinkTransport {
  const client = createSinkHttpClient(sink.url, { timeoutMs: sink.timeout_ms, tls: sink.tls, maxSockets: sink.concurrency });
  const authorization = sink.api_key
    ? `ApiKey ${sink.api_key}`
    : sink.username !== undefined
      ? `Basic ${Buffer.from(`${sink.username}:${sink.password ?? ''}`).toString('base64')}`
      : undefined;
  const path = `/_bulk${sink.pipeline ? `?pipeline=${encodeURIComponent(sink.pipeline)}` : ''}`;

  return {
    encode: (forwarded) =>
      `${JSON.stringify({ create: { _index: sink.index, _id: forwarded.eventId } })}\n${formattedJson(forwarded, sink.format)}\n`,
    deliver: (batch) =>
      deliverSplittingTooLarge(batch, async (part) => {
        const response = await client.request({
          path,
          headers: { 'content-type': 'application/x-ndjson', ...(authorization ? { authorization } : {}) },
          body: utf8Joined(part.map((event) => event.text)),
        });
        if (response.status === 413) return 'payload_too_large';
        if (response.status !== 200) return failedRequestReport(response, part);
        return itemsReport(response.body, part);
      }),
    close: async () => client.close(),
  };
}

function itemsReport(body: string, batch: readonly EncodedEvent[]): DeliveryReport {
  let items: unknown;
  try {
    items = (JSON.parse(body) as { items?: unknown }).items;
  } catch {
    throw new TransientSinkError('unreadable _bulk response');
  }
  if (!Array.isArray(items) || items.length !== batch.length) throw new TransientSinkError('_bulk response does not list every item');
  const report: DeliveryReport = { delivered: [], retry: undefined, rejected: [] };
  const retry: string[] = [];
  let retryError = '';
  batch.forEach((event, index) => {
    const item = Object.values((items as Record<string, BulkItem>[])[index] ?? {})[0] ?? {};
    const status = item.status ?? 0;
    if ((status >= 200 && status < 300) || status === 409) {
      report.delivered.push(event.eventId);
    } else if (isTransientStatus(status)) {
      retry.push(event.eventId);
      retryError = itemError(status, item);
    } else {
      report.rejected.push({ eventId: event.eventId, error: itemError(status, item) });
    }
  });
  if (retry.length > 0) report.retry = { eventIds: retry, error: retryError };
  return report;
}

function itemError(status: number, item: BulkItem): string {
  return `item ${status}${item.error ? `: ${item.error.type ?? ''} ${item.error.reason ?? ''}`.slice(0, 300) : ''}`;
}
