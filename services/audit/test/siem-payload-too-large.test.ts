import { randomUUID } from 'node:crypto';
import { TransientSinkError, type EncodedEvent } from '../siem/delivery-report';
import { parseSinks, type SinkOf } from '../siem/sink-config';
import { createDatadogTransport } from '../siem/sinks/datadog-logs';
import { createElasticTransport } from '../siem/sinks/elastic-bulk';
import { deliverSplittingTooLarge } from '../siem/sinks/payload-too-large';
import { forwardedFromRow } from '../siem/forwarded-event';
import type { SinkTransport } from '../siem/sinks/sink-transport';
import type { ChainedEvent } from '../ingest/stored-event';
import { startFakeDatadog, startFakeElastic } from './support/fake-siem-receivers';

const TOO_LARGE = { status: 413, body: { error: 'request entity too large' } };

function storedEvent(): ChainedEvent {
  return { event_id: randomUUID(), event_type: 'decision', occurred_at: '2026-01-01T00:00:00.000Z', tenant: 'default', decision: 'allow', tool: 'create_issue' };
}

function encodeAll(transport: SinkTransport, events: ChainedEvent[]): EncodedEvent[] {
  return events.map((event) => {
    const text = transport.encode(forwardedFromRow(event));
    return { eventId: event.event_id, text, bytes: Buffer.byteLength(text) };
  });
}

describe('a 413 answer splits the batch instead of dead-lettering it', () => {
  it('Elastic: the halves are sent on their own and every event is indexed', async () => {
    const elastic = await startFakeElastic({ apiKey: 'es-key' });
    const transport = createElasticTransport(parseSinks(JSON.stringify([{ type: 'elastic', url: elastic.url, api_key: 'es-key', index: 'audit' }]))[0] as SinkOf<'elastic'>);
    try {
      const events = Array.from({ length: 4 }, storedEvent);
      elastic.failNext(1, TOO_LARGE);

      const report = await transport.deliver(encodeAll(transport, events));

      expect(report).toEqual({ delivered: events.map((event) => event.event_id), rejected: [], retry: undefined });
      expect(elastic.requests.map((request) => request.body.split('\n').filter(Boolean).length / 2)).toEqual([4, 2, 2]);
      expect([...elastic.documents.keys()].sort()).toEqual(events.map((event) => `audit/${event.event_id}`).sort());
    } finally {
      await transport.close();
      await elastic.close();
    }
  });

  it('Datadog: an event the intake still refuses alone is rejected with the reason; the others are accepted', async () => {
    const datadog = await startFakeDatadog({ apiKey: 'dd-key' });
    const transport = createDatadogTransport(parseSinks(JSON.stringify([{ type: 'datadog', url: datadog.url, api_key: 'dd-key' }]))[0] as SinkOf<'datadog'>);
    try {
      const events = Array.from({ length: 3 }, storedEvent);
      // [a, b, c] → 413; [a, b] → 413; [a] → 413 (a is refused for good); [b] and [c] are accepted.
      datadog.failNext(3, TOO_LARGE);

      const report = await transport.deliver(encodeAll(transport, events));

      expect(report.delivered).toEqual([events[1]!.event_id, events[2]!.event_id]);
      expect(report.retry).toBeUndefined();
      expect(report.rejected).toEqual([{ eventId: events[0]!.event_id, error: expect.stringMatching(/^HTTP 413: the sink refuses this event even alone \(\d+ bytes encoded\)$/) }]);
      expect(datadog.requests.map((request) => (JSON.parse(request.body) as unknown[]).length)).toEqual([3, 2, 1, 1, 1]);
      expect(datadog.logs).toHaveLength(2);
    } finally {
      await transport.close();
      await datadog.close();
    }
  });

  it('a transient failure of a later half keeps the accepted half delivered and retries the rest', async () => {
    const batch = ['a', 'b', 'c', 'd'].map((eventId) => ({ eventId, text: eventId, bytes: 1 }));
    const sent: string[][] = [];
    const report = await deliverSplittingTooLarge(batch, async (part) => {
      sent.push(part.map((event) => event.eventId));
      if (part.length === 4) return 'payload_too_large';
      if (part[0]!.eventId === 'c') throw new TransientSinkError('HTTP 503', 2000);
      return { delivered: part.map((event) => event.eventId), rejected: [], retry: undefined };
    });

    expect(sent).toEqual([['a', 'b', 'c', 'd'], ['a', 'b'], ['c', 'd']]);
    expect(report).toEqual({ delivered: ['a', 'b'], rejected: [], retry: { eventIds: ['c', 'd'], error: 'HTTP 503', retryAfterMs: 2000 } });
  });

  it('a transient failure before anything was accepted is thrown, for the circuit breaker to count', async () => {
    const batch = ['a', 'b'].map((eventId) => ({ eventId, text: eventId, bytes: 1 }));
    await expect(
      deliverSplittingTooLarge(batch, async (part) => {
        if (part.length === 2) return 'payload_too_large';
        throw new TransientSinkError('HTTP 502');
      }),
    ).rejects.toThrow('HTTP 502');
  });
});
