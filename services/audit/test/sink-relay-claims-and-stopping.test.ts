import { randomUUID } from 'node:crypto';
import { createLogger, createMetricsRegistry } from '../../common';
import { allDelivered, TransientSinkError, type DeliveryReport, type EncodedEvent } from '../siem/delivery-report';
import type { ClaimedDelivery, DeliveryQueue } from '../siem/delivery-queue';
import { forwardedFromRow } from '../siem/forwarded-event';
import { createIngestClaims, type IngestClaims, type InsertedClaim } from '../siem/ingest-claims';
import { createSiemMetrics } from '../siem/siem-metrics';
import { parseSinks } from '../siem/sink-config';
import { createSinkRelay, type SinkRelay } from '../siem/sink-relay';
import type { SinkTransport } from '../siem/sinks/sink-transport';

/** An outbox in memory that logs what the relay asks of it, in order. */
function memoryQueue(rows: ClaimedDelivery[], claimDelayMs = 0) {
  const log: string[] = [];
  let claiming = 0;
  const stats = { claims: 0, mostClaimsAtOnce: 0 };
  const queue: DeliveryQueue = {
    async claim(_sink, limit) {
      stats.claims++;
      stats.mostClaimsAtOnce = Math.max(stats.mostClaimsAtOnce, ++claiming);
      await new Promise((resolve) => setTimeout(resolve, claimDelayMs));
      claiming--;
      return rows.splice(0, limit);
    },
    releaseExpiredLeases: async () => 0,
    markDelivered: async (ids) => void (ids.length > 0 && log.push(`delivered ${ids.join(',')}`)),
    scheduleRetry: async (entries) => void (entries.length > 0 && log.push(`retry ${entries.map((entry) => entry.id).join(',')}`)),
    release: async (ids) => void (ids.length > 0 && log.push(`release ${ids.join(',')}`)),
    deadLetter: async (entries) => void (entries.length > 0 && log.push(`dead ${entries.map((entry) => entry.id).join(',')}`)),
    lagSeconds: async () => 0,
  };
  return { queue, log, stats };
}

function claimedRows(count: number): ClaimedDelivery[] {
  return Array.from({ length: count }, (_, i) => {
    const eventId = randomUUID();
    return { id: String(i + 1), eventId, attempts: 1, event: forwardedFromRow({ event_id: eventId, event_type: 'decision', occurred_at: '2026-01-01T00:00:00.000Z', tenant: 'default' }) };
  });
}

/** A transport whose deliveries wait until the test settles them. */
function heldTransport() {
  const held: { batch: readonly EncodedEvent[]; settle: (report: DeliveryReport | Error) => void }[] = [];
  let closed = false;
  const transport: SinkTransport = {
    encode: (event) => JSON.stringify(event),
    deliver: (batch) =>
      new Promise<DeliveryReport>((resolve, reject) => {
        held.push({ batch, settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)) });
      }),
    close: async () => {
      closed = true;
    },
  };
  return { transport, held, isClosed: () => closed };
}

function relayOver(queue: DeliveryQueue, transport: SinkTransport, sink: Record<string, unknown>, stopGraceMs = 5000, ingestClaims?: IngestClaims): SinkRelay {
  return createSinkRelay({
    sink: parseSinks(JSON.stringify([{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/x', secret: '0123456789abcdef', ...sink }]))[0]!,
    transport,
    queue,
    metrics: createSiemMetrics(createMetricsRegistry({ service: 'audit', processMetrics: false })),
    logger: createLogger({ service: 'audit-test', level: 'silent' }),
    pollIntervalMs: 10,
    leaseMs: 60_000,
    stopGraceMs,
    ingestClaims,
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('sink relay', () => {
  it("claims one at a time across its workers, so due rows are not split between two workers' batches", async () => {
    const { queue, stats } = memoryQueue(claimedRows(2), 30);
    const { transport, held } = heldTransport();
    const relay = relayOver(queue, transport, { concurrency: 4 });
    relay.start();
    await until(() => held.length === 1 && stats.claims >= 4);
    expect(stats.mostClaimsAtOnce).toBe(1);
    expect(held[0]!.batch).toHaveLength(2);
    held[0]!.settle(allDelivered(held[0]!.batch));
    await relay.stop();
  });

  it('stopping lets a batch in flight finish and records its outcome before resolving', async () => {
    const { queue, log } = memoryQueue(claimedRows(2));
    const { transport, held, isClosed } = heldTransport();
    const relay = relayOver(queue, transport, { concurrency: 1 });
    relay.start();
    await until(() => held.length === 1);

    const stopping = relay.stop().then(() => log.push('stopped'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual([]);
    held[0]!.settle(allDelivered(held[0]!.batch));
    await stopping;

    expect(log).toEqual(['delivered 1,2', 'stopped']);
    expect(isClosed()).toBe(true);
  });

  it('a worker that was stopped before its claim claims nothing', async () => {
    const { queue, stats } = memoryQueue(claimedRows(2));
    let finishSweep: () => void = () => undefined;
    queue.releaseExpiredLeases = () => new Promise<number>((resolve) => (finishSweep = () => resolve(0)));
    const { transport, held } = heldTransport();
    const relay = relayOver(queue, transport, { concurrency: 1 });
    relay.start();

    const stopping = relay.stop();
    finishSweep();
    await stopping;
    expect(stats.claims).toBe(0);
    expect(held).toHaveLength(0);
  });

  it('past the grace period nothing more is sent: the chunk cut off is retried, the chunks not sent go back untried', async () => {
    const rows = claimedRows(3);
    const { queue, log } = memoryQueue(rows);
    const { transport, held } = heldTransport();
    const oneEventPerRequest = Buffer.byteLength(JSON.stringify(rows[0]!.event)) + 3;
    const relay = relayOver(queue, transport, { concurrency: 1, batch: { max_events: 10, max_bytes: oneEventPerRequest } }, 50);
    relay.start();
    await until(() => held.length === 1);

    const stopping = relay.stop().then(() => log.push('stopped'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    held[0]!.settle(new TransientSinkError('request failed: socket closed by stopping'));
    await stopping;

    expect(held).toHaveLength(1);
    expect(log).toEqual(['retry 1', 'release 2,3', 'stopped']);
  });

  it('a chunk answered just as stopping cuts off counts as delivered, and the next chunk is not sent', async () => {
    const rows = claimedRows(2);
    const { queue, log } = memoryQueue(rows);
    const { transport, held, isClosed } = heldTransport();
    const oneEventPerRequest = Buffer.byteLength(JSON.stringify(rows[0]!.event)) + 3;
    const relay = relayOver(queue, transport, { concurrency: 1, batch: { max_events: 10, max_bytes: oneEventPerRequest } }, 50);
    relay.start();
    await until(() => held.length === 1);

    const stopping = relay.stop().then(() => log.push('stopped'));
    await until(isClosed);
    held[0]!.settle(allDelivered(held[0]!.batch));
    await stopping;

    expect(held).toHaveLength(1);
    expect(log).toEqual(['delivered 1', 'release 2', 'stopped']);
  });

  describe('rows written claimed by ingest', () => {
    function insertedClaims(ids: string[]): InsertedClaim[] {
      return ids.map((id) => {
        const eventId = randomUUID();
        return { id, eventId, canonical: JSON.stringify({ event_id: eventId, event_type: 'decision', occurred_at: '2026-01-01T00:00:00.000Z', tenant: 'default' }), occurredAt: '2026-01-01T00:00:00.000Z' };
      });
    }

    it('are sent from memory as soon as a full batch is handed over, and recorded like claimed rows', async () => {
      const { queue, log } = memoryQueue([]);
      const { transport, held } = heldTransport();
      const claims = createIngestClaims();
      const relay = relayOver(queue, transport, { concurrency: 1, batch: { max_events: 2 } }, 5000, claims);
      expect(claims.reserve(['hook'], 2, 100).size).toBe(0);
      relay.start();

      const reservation = claims.reserve(['hook'], 2, 100).get('hook')!;
      expect(reservation.leaseMs).toBe(60_000);
      const rows = insertedClaims(['7', '8']);
      reservation.handOver(rows);
      await until(() => held.length === 1);
      expect(held[0]!.batch.map((event) => event.eventId)).toEqual(rows.map((row) => row.eventId));
      held[0]!.settle(allDelivered(held[0]!.batch));
      await until(() => log.length > 0);
      expect(log).toEqual(['delivered 7,8']);
      await relay.stop();
    });

    it('hold at most eight batches, counting reservations not yet handed over', async () => {
      const { queue } = memoryQueue([]);
      const claims = createIngestClaims();
      const relay = relayOver(queue, heldTransport().transport, { concurrency: 1, batch: { max_events: 10 } }, 5000, claims);
      relay.start();
      const first = claims.reserve(['hook'], 60, 100).get('hook')!;
      expect(claims.reserve(['hook'], 21, 100).size).toBe(0);
      const second = claims.reserve(['hook'], 20, 100).get('hook')!;
      first.cancel();
      second.cancel();
      expect(claims.reserve(['hook'], 80, 100).size).toBe(1);
      await relay.stop();
    });

    it('go back untried once the breaker opens, and none are reserved while it is open', async () => {
      const { queue, log } = memoryQueue([]);
      const { transport, held } = heldTransport();
      const claims = createIngestClaims();
      const relay = relayOver(queue, transport, { concurrency: 1, batch: { max_events: 1 }, breaker: { volume_threshold: 1 } }, 5000, claims);
      relay.start();
      claims.reserve(['hook'], 1, 100).get('hook')!.handOver(insertedClaims(['1']));
      await until(() => held.length === 1);
      const waiting = claims.reserve(['hook'], 1, 100).get('hook')!;
      held[0]!.settle(new TransientSinkError('HTTP 503'));
      waiting.handOver(insertedClaims(['2']));
      await until(() => log.length >= 2);
      expect(log).toEqual(['retry 1', 'release 2']);
      expect(claims.reserve(['hook'], 1, 100).size).toBe(0);
      await relay.stop();
    });

    it('stopping waits for a reservation to be handed over, then gives its rows back untried', async () => {
      const { queue, log } = memoryQueue([]);
      const claims = createIngestClaims();
      const relay = relayOver(queue, heldTransport().transport, { concurrency: 1, batch: { max_events: 10 } }, 5000, claims);
      relay.start();
      const reservation = claims.reserve(['hook'], 2, 100).get('hook')!;

      const stopping = relay.stop().then(() => log.push('stopped'));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(log).toEqual([]);
      expect(claims.reserve(['hook'], 1, 100).size).toBe(0);
      reservation.handOver(insertedClaims(['3', '4']));
      await stopping;
      expect(log).toEqual(['release 3,4', 'stopped']);
    });
  });
});
