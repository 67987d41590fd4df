import { createHmac } from 'node:crypto';
import { utf8Joined } from '../../../common/text/utf8-joined';
import type { SinkOf } from '../sink-config';
import { allDelivered } from '../delivery-report';
import { formattedJson } from '../formats/format-event';
import { createSinkHttpClient, failedRequestReport } from './http-client';
import type { SinkTransport } from './sink-transport';

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export function webhookSignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A generic webhook: a JSON array of events, signed with HMAC-SHA256 over the body; any 2xx is success. */
export function createWebhookTransport(sink: SinkOf<'webhook'>): SinkTransport {
  const client = createSinkHttpClient(sink.url, { timeoutMs: sink.timeout_ms, tls: sink.tls, maxSockets: sink.concurrency });

  return {
    encode: (forwarded) => formattedJson(forwarded, sink.format),
    async deliver(batch) {
      const body = utf8Joined(batch.map((event) => event.text), ',', '[', ']');
      const response = await client.request({
        path: '',
        headers: {
          ...sink.headers,
          'content-type': 'application/json',
          [sink.signature_header.toLowerCase()]: webhookSignature(sink.secret, body),
        },
        body,
      });
      if (response.status >= 200 && response.status < 300) return allDelivered(batch);
      return failedRequestReport(response, batch);
    },
    close: async () => client.close(),
  };
}
