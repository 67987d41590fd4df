import CircuitBreaker from 'opossum';
import type { Logger } from '../../common';
import { chunkByLimits, fitsInRequest } from './batch-chunks';
import { TransientSinkError, type DeliveryReport, type EncodedEvent } from './delivery-report';
import type { ClaimedDelivery, DeadEntry, DeliveryQueue, RetryEntry } from './delivery-queue';
import { createHandedOverRows } from './handed-over-rows';
import type { IngestClaims } from './ingest-claims';
import { nextAttemptDelayMs } from './retry-policy';
import { BREAKER_STATES, type SiemMetrics } from './siem-metrics';
import type { SinkConfig } from './sink-config';
import type { SinkTransport } from './sinks/sink-transport';
import { createWakeableSleep } from './wake-sleep';

export interface SinkRelayOptions {
  sink: SinkConfig;
  transport: SinkTransport;
  queue: DeliveryQueue;
  metrics: SiemMetrics;
  logger: Logger;
  /** How long an idle worker waits before looking for due rows again. */
  pollIntervalMs: number;
  /** How long a claimed row stays with this relay before another may take it (a crashed relay's rows). */
  leaseMs: number;
  /** How long stopping waits for batches in flight before cutting their connections. */
  stopGraceMs: number;
  /** This instance's ingest, which then writes rows already claimed by this relay while it can send them. */
  ingestClaims?: IngestClaims | undefined;
  random?: () => number;
}

/** Forwards one sink's outbox rows: `concurrency` workers, each claiming, sending and recording a batch at a time. */
export interface SinkRelay {
  start(): void;
  /** Lets the batches in flight finish (for at most a few seconds), then closes the sink's connections. */
  stop(): Promise<void>;
  /** One claim-send-record round; resolves to the number of rows handled. */
  runOnce(): Promise<number>;
}

interface Outcomes {
  /** The breaker refused a request: nothing was sent, the worker should wait. */
  refused: boolean;
  delivered: string[];
  retry: RetryEntry[];
  dead: DeadEntry[];
  release: string[];
}

export function createSinkRelay(options: SinkRelayOptions): SinkRelay {
  const { sink, transport, queue, metrics, logger } = options;
  const name = sink.name;
  const waits = createWakeableSleep();
  const breaker = new CircuitBreaker((batch: readonly EncodedEvent[]) => transport.deliver(batch), {
    timeout: false,
    errorThresholdPercentage: sink.breaker.error_threshold_percentage,
    volumeThreshold: sink.breaker.volume_threshold,
    resetTimeout: sink.breaker.reset_timeout_ms,
    rollingCountTimeout: sink.breaker.rolling_window_ms,
    rollingCountBuckets: 10,
  });
  metrics.breakerState.set({ sink: name }, BREAKER_STATES.closed);
  breaker.on('open', () => {
    metrics.breakerState.set({ sink: name }, BREAKER_STATES.open);
    logger.warn({ sink: name, retry_in_ms: sink.breaker.reset_timeout_ms }, 'SIEM sink circuit opened: deliveries paused');
  });
  breaker.on('halfOpen', () => {
    metrics.breakerState.set({ sink: name }, BREAKER_STATES.half_open);
    waits.wakeAll();
  });
  breaker.on('close', () => {
    metrics.breakerState.set({ sink: name }, BREAKER_STATES.closed);
    logger.info({ sink: name }, 'SIEM sink circuit closed: deliveries resumed');
  });

  let stopped = true;
  /** Set once stopping has cut the sink's connections: nothing more is sent, what is left goes back. */
  let cutOff = false;
  let workers: Promise<void>[] = [];
  // One claim at a time per relay: two workers claiming at once with SKIP LOCKED would each take a
  // part of the same due rows, splitting what one batch would carry.
  let claimTurn: Promise<unknown> = Promise.resolve();
  /** Set from a sink's Retry-After: no worker sends before it. */
  let pausedUntil = 0;
  let lastLeaseSweep = 0;
  let lastDatabaseClaim = 0;
  // Rows ingest wrote already claimed by this relay. A few batches at most, so they are sent well within
  // their lease; sending at once on arrival only when a full batch waits keeps batches as full as claims make them.
  const handedOver = createHandedOverRows({
    maxRows: HANDED_OVER_BATCHES * sink.batch.max_events,
    maxChars: HANDED_OVER_MAX_CHARS,
    onArrival(waiting) {
      if (stopped) void giveBackHandedOver(0);
      else if (waiting >= sink.batch.max_events) waits.wakeAll();
    },
  });
  options.ingestClaims?.register(name, {
    reserve(rows, chars) {
      if (stopped || !breaker.closed || pausedUntil > Date.now()) return undefined;
      return handedOver.reserve(rows, chars, options.leaseMs);
    },
  });

  async function runOnce(): Promise<number> {
    if (Date.now() - lastLeaseSweep >= options.leaseMs / 4) {
      lastLeaseSweep = Date.now();
      const released = await queue.releaseExpiredLeases(name);
      if (released > 0) logger.warn({ sink: name, rows: released }, 'SIEM deliveries whose relay stopped are due again');
    }
    const claimed = await nextRows();
    if (claimed.length === 0) return 0;
    const outcomes: Outcomes = { refused: false, delivered: [], retry: [], dead: [], release: [] };
    const byEvent = groupByEvent(claimed);
    const encoded = encodeAll(byEvent, outcomes);
    await sendChunks(chunkByLimits(encoded, sink.batch.max_events, sink.batch.max_bytes), byEvent, outcomes);
    await record(outcomes);
    return outcomes.refused ? 0 : claimed.length;
  }

  /**
   * Rows handed over by ingest first; the outbox is still claimed at least once per poll interval while
   * they keep coming, so rows written `pending` (another instance's, retries, a full hand-over) are not starved.
   */
  async function nextRows(): Promise<ClaimedDelivery[]> {
    if (stopped) return [];
    if (handedOver.waiting > 0 && Date.now() - lastDatabaseClaim < options.pollIntervalMs) return handedOver.take(sink.batch.max_events);
    lastDatabaseClaim = Date.now();
    const claimed = await claimInTurn();
    return claimed.length > 0 || stopped ? claimed : handedOver.take(sink.batch.max_events);
  }

  /**
   * Rows handed over that will not be sent now (the relay stops, is paused or its breaker is open) go back
   * to `pending` without counting the attempt, as rows refused by the breaker do. If that fails they stay
   * `in_flight` until their lease runs out, like the rows of an instance that died.
   */
  async function giveBackHandedOver(delayMs: number): Promise<void> {
    const rows = handedOver.takeAll();
    if (rows.length === 0) return;
    try {
      await queue.release(rows.map((row) => row.id), delayMs);
    } catch (error) {
      logger.warn({ sink: name, rows: rows.length, err: error }, 'cannot give back SIEM deliveries; they are due again when their lease runs out');
    }
  }

  /** Claims after any claim of this relay's other workers has returned; none once the relay is stopping. */
  function claimInTurn(): Promise<ClaimedDelivery[]> {
    const claim = claimTurn.then(() => (stopped ? [] : queue.claim(name, sink.batch.max_events, options.leaseMs)));
    claimTurn = claim.catch(() => undefined);
    return claim;
  }

  /** Encodes each event once (two rows for one event, which ingest never writes, would still send once). */
  function encodeAll(byEvent: Map<string, ClaimedDelivery[]>, outcomes: Outcomes): EncodedEvent[] {
    const encoded: EncodedEvent[] = [];
    for (const [eventId, rows] of byEvent) {
      const event = rows[0]!.event;
      const dead = (error: string) => outcomes.dead.push(...rows.map((row) => ({ id: row.id, error })));
      if (!event) {
        dead('the event is no longer stored (retention dropped its day)');
        continue;
      }
      let text: string;
      try {
        text = transport.encode(event);
      } catch (error) {
        dead(`cannot encode the event: ${(error as Error).message}`);
        continue;
      }
      const item = { eventId, text, bytes: Buffer.byteLength(text) };
      if (fitsInRequest(item, sink.batch.max_bytes)) encoded.push(item);
      else dead(`the encoded event (${item.bytes} bytes) exceeds the sink's batch.max_bytes`);
    }
    return encoded;
  }

  async function sendChunks(chunks: EncodedEvent[][], byEvent: Map<string, ClaimedDelivery[]>, outcomes: Outcomes): Promise<void> {
    const rowsOf = (eventIds: readonly string[]) => eventIds.flatMap((eventId) => byEvent.get(eventId) ?? []);
    for (const [index, chunk] of chunks.entries()) {
      if (cutOff) {
        outcomes.release.push(...rowsOf(chunks.slice(index).flat().map((event) => event.eventId)).map((row) => row.id));
        return;
      }
      const started = process.hrtime.bigint();
      let report: DeliveryReport;
      try {
        report = await breaker.fire(chunk);
      } catch (error) {
        const remaining = chunks.slice(index).flat().map((event) => event.eventId);
        if (CircuitBreaker.isOurError(error as Error)) {
          outcomes.refused = true;
          outcomes.release.push(...rowsOf(remaining).map((row) => row.id));
          return;
        }
        const transient = error instanceof TransientSinkError ? error : new TransientSinkError((error as Error).message);
        report = { delivered: [], rejected: [], retry: { eventIds: chunk.map((event) => event.eventId), error: transient.message, ...(transient.retryAfterMs !== undefined ? { retryAfterMs: transient.retryAfterMs } : {}) } };
        // The sink is failing: the rest of this claim waits for the next round instead of failing too.
        outcomes.release.push(...rowsOf(chunks.slice(index + 1).flat().map((event) => event.eventId)).map((row) => row.id));
        addOutcomes(report, rowsOf, outcomes);
        return;
      } finally {
        metrics.requestSeconds.observe({ sink: name }, Number(process.hrtime.bigint() - started) / 1e9);
      }
      addOutcomes(report, rowsOf, outcomes);
      if (report.retry) {
        outcomes.release.push(...rowsOf(chunks.slice(index + 1).flat().map((event) => event.eventId)).map((row) => row.id));
        return;
      }
    }
  }

  function addOutcomes(report: DeliveryReport, rowsOf: (ids: readonly string[]) => ClaimedDelivery[], outcomes: Outcomes): void {
    outcomes.delivered.push(...rowsOf(report.delivered).map((row) => row.id));
    for (const rejected of report.rejected) {
      outcomes.dead.push(...rowsOf([rejected.eventId]).map((row) => ({ id: row.id, error: `refused by the sink: ${rejected.error}` })));
    }
    metrics.failed.inc({ sink: name, kind: 'permanent' }, report.rejected.length);
    if (!report.retry) return;
    const { eventIds, error, retryAfterMs } = report.retry;
    metrics.failed.inc({ sink: name, kind: 'transient' }, eventIds.length);
    if (retryAfterMs !== undefined && retryAfterMs > 0) pausedUntil = Math.max(pausedUntil, Date.now() + retryAfterMs);
    for (const row of rowsOf(eventIds)) {
      if (row.attempts >= sink.max_attempts) {
        outcomes.dead.push({ id: row.id, error: `gave up after ${row.attempts} attempts: ${error}` });
      } else {
        outcomes.retry.push({ id: row.id, delayMs: nextAttemptDelayMs(row.attempts, sink.retry, retryAfterMs, options.random), error });
      }
    }
    logger.warn({ sink: name, events: eventIds.length, error, retry_after_ms: retryAfterMs }, 'SIEM delivery failed; will retry');
  }

  async function record(outcomes: Outcomes): Promise<void> {
    await queue.markDelivered(outcomes.delivered);
    await queue.scheduleRetry(outcomes.retry);
    await queue.release(outcomes.release, Math.max(pausedUntil - Date.now(), 0));
    await queue.deadLetter(outcomes.dead);
    metrics.delivered.inc({ sink: name }, outcomes.delivered.length);
    if (outcomes.dead.length > 0) {
      metrics.deadLettered.inc({ sink: name }, outcomes.dead.length);
      logger.warn({ sink: name, events: outcomes.dead.length, error: outcomes.dead[0]!.error }, 'SIEM deliveries dead-lettered');
    }
  }

  async function work(): Promise<void> {
    while (!stopped) {
      const paused = pausedUntil - Date.now();
      if (paused > 0) {
        await giveBackHandedOver(paused);
        await waits.sleep(paused);
        continue;
      }
      if (breaker.opened) {
        await giveBackHandedOver(0);
        await waits.sleep(options.pollIntervalMs);
        continue;
      }
      let handled = 0;
      try {
        handled = await runOnce();
      } catch (error) {
        logger.error({ sink: name, err: error }, 'SIEM relay round failed (database?); retrying');
      }
      if (handled === 0) await waits.sleep(options.pollIntervalMs);
      // PGlite answers without I/O: a loop of database calls alone would starve timers and sockets.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      cutOff = false;
      workers = Array.from({ length: sink.concurrency }, () => work());
    },
    async stop() {
      stopped = true;
      waits.wakeAll();
      const finished = Promise.all(workers);
      // Ingest transactions that reserved room hand their rows over (or cancel) before the wait ends, mostly.
      await Promise.race([Promise.all([finished, handedOver.settled()]), new Promise((resolve) => setTimeout(resolve, options.stopGraceMs).unref())]);
      // Whatever is still in flight is cut off; its rows are recorded as transient failures and sent again,
      // and chunks of a claim not sent yet go back untried. Resolving only once every worker has recorded its
      // outcomes is what lets the owner close the database afterwards without leaving rows in flight.
      cutOff = true;
      await transport.close();
      await finished;
      // Rows handed over and not sent go back untried; any handed over later go back as they arrive.
      await giveBackHandedOver(0);
      workers = [];
      breaker.shutdown();
    },
    runOnce,
  };
}

/** Rows ingest may hand over beyond those being sent: this many full batches of the sink. */
const HANDED_OVER_BATCHES = 8;
/** And at most this much event text (the events are held by `recent-events.ts` too, mostly). */
const HANDED_OVER_MAX_CHARS = 16 * 1024 * 1024;

function groupByEvent(rows: readonly ClaimedDelivery[]): Map<string, ClaimedDelivery[]> {
  const byEvent = new Map<string, ClaimedDelivery[]>();
  for (const row of rows) {
    const group = byEvent.get(row.eventId);
    if (group) group.push(row);
    else byEvent.set(row.eventId, [row]);
  }
  return byEvent;
}
