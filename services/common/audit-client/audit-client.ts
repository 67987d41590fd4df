import path from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { auditEventSchema, MAX_EVENTS_PER_BATCH, type AuditEvent, type AuditEventInput } from '../contracts/audit-event';
import { createAuditClientMetrics, type DropReason } from './audit-client-metrics';
import { openAuditSpool, type SpoolDepth } from './audit-spool';
import { sendBatch, type SendOutcome } from './send-batch';
import { sendInPieces, type PiecesResult } from './send-in-pieces';

export interface AuditClientOptions {
  /** Base URL of the audit service, e.g. `http://127.0.0.1:8282`. */
  url: string;
  apiKey?: string;
  /** Directory of the on-disk spool (one per producer process), e.g. `./.data/audit-spool/pdp`. */
  spoolDir: string;
  /** Spool size limit; beyond it new events are dropped (counted and logged). Default 256 MiB. */
  maxSpoolBytes?: number;
  /** Events per request, at most 1000. Default 500. */
  batchSize?: number;
  /** Longest time an event waits in memory before its batch is sent. Default 200 ms. */
  flushIntervalMs?: number;
  /** Events held in memory; beyond this they go to the spool. Default 20,000. */
  maxQueue?: number;
  requestTimeoutMs?: number;
  /** Retry delays grow from `initialMs` to `maxMs` (exponential, full jitter). */
  backoff?: { initialMs: number; maxMs: number };
  logger: Logger;
  registry?: Registry;
  fetch?: typeof fetch;
}

export interface AuditClient {
  /** Queues an event and returns at once; never throws, never waits. Do not mutate the event afterwards. */
  record(event: AuditEventInput): void;
  /**
   * `record` for an event its producer has established satisfies `auditEventSchema` (built valid by
   * construction and checked cheaply): queued without running the schema, which costs a hot producer
   * as much as the rest of its work on the event.
   */
  recordValid(event: AuditEvent): void;
  /** Sends what is queued; what cannot be sent now is on disk when this resolves. */
  flush(): Promise<void>;
  /** Flushes and stops; call on shutdown. */
  close(): Promise<void>;
  depth(): { queued: number; spool: SpoolDepth };
}

const DEFAULTS = {
  maxSpoolBytes: 256 * 1024 * 1024,
  batchSize: 500,
  flushIntervalMs: 200,
  maxQueue: 20_000,
  requestTimeoutMs: 10_000,
  backoff: { initialMs: 250, maxMs: 30_000 },
};

/**
 * Batches audit events to the audit service. While the service is unreachable, batches go to an on-disk
 * spool; once it answers again the spool is replayed oldest first, before anything newer, so events
 * arrive in recording order. A batch is removed from the spool only after a 202, so a crash in between
 * re-sends it, and the service's event-id idempotency keeps the store free of duplicates.
 */
export function createAuditClient(options: AuditClientOptions): AuditClient {
  const settings = { ...DEFAULTS, ...options, batchSize: Math.min(options.batchSize ?? DEFAULTS.batchSize, MAX_EVENTS_PER_BATCH) };
  const { logger } = options;
  const metrics = createAuditClientMetrics(options.registry);
  const spool = openAuditSpool(options.spoolDir, settings.maxSpoolBytes);
  const sendOne = (events: readonly AuditEvent[]): Promise<SendOutcome> =>
    sendBatch(events, { url: options.url, apiKey: options.apiKey, timeoutMs: settings.requestTimeoutMs, fetch: options.fetch ?? fetch });
  const send = (events: readonly AuditEvent[]): Promise<PiecesResult> => sendInPieces(events, sendOne);

  let queue: AuditEventInput[] = [];
  const known = new WeakSet<AuditEventInput>();
  let pumping: Promise<void> | undefined;
  let closed = false;
  let flushing = false;
  let failures = 0;
  // Epoch ms before which the service asked not to be called again (Retry-After on 429/503).
  let notBefore = 0;
  let spoolWrites: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const timer = setInterval(tick, settings.flushIntervalMs);
  timer.unref();
  updateDepthGauges();
  if (spool.depth().segments > 0) logger.info({ spool: spool.depth() }, 'audit spool found from an earlier run; replaying');

  /** While the sender waits out a backoff, new events go to disk rather than piling up in memory. */
  function tick(): void {
    if (failures > 0 && queue.length > 0) void toSpool(takeAllAsBatches());
    void pump();
  }

  function drop(reason: DropReason, count: number, detail: Record<string, unknown> = {}): void {
    metrics.dropped.inc({ reason }, count);
    logger.error({ reason, events: count, ...detail }, 'audit events dropped');
  }

  function updateDepthGauges(): void {
    const depth = spool.depth();
    metrics.spoolEvents.set(depth.events);
    metrics.spoolBytes.set(depth.bytes);
    metrics.queueEvents.set(queue.length);
  }

  /** Takes up to `count` queued events, validated unless queued by `recordValid`; invalid ones are dropped here, off the caller's path. */
  function takeValid(count: number): AuditEvent[] {
    const taken = queue.slice(0, count);
    queue = queue.slice(count);
    const valid: AuditEvent[] = [];
    for (const input of taken) {
      if (known.has(input)) {
        valid.push(input as AuditEvent);
        continue;
      }
      const parsed = auditEventSchema.safeParse(input);
      if (parsed.success) valid.push(parsed.data);
      else drop('invalid', 1, { issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
    }
    return valid;
  }

  function takeAllAsBatches(): AuditEvent[][] {
    const batches: AuditEvent[][] = [];
    while (queue.length > 0) batches.push(takeValid(settings.batchSize));
    return batches.filter((batch) => batch.length > 0);
  }

  /**
   * Appends run one after another: the timer's spooling is not awaited, and two appends at once could pick
   * the same segment number; `flush()` waits for the chain so what it reports is on disk.
   */
  function toSpool(batches: AuditEvent[][]): Promise<void> {
    const write = spoolWrites.then(() => appendToSpool(batches));
    spoolWrites = write.catch((error: unknown) => logger.error({ err: error }, 'audit spool write failed'));
    return write;
  }

  async function appendToSpool(batches: AuditEvent[][]): Promise<void> {
    const events = batches.reduce((sum, batch) => sum + batch.length, 0);
    if (events === 0) return;
    if (!(await spool.append(batches))) drop('spool_full', events, { max_spool_bytes: settings.maxSpoolBytes });
    updateDepthGauges();
  }

  function noteFailure(detail: string, retryAfterMs: number | undefined): number {
    failures += 1;
    metrics.sendFailures.inc();
    const ceiling = Math.min(settings.backoff.maxMs, settings.backoff.initialMs * 2 ** Math.min(failures - 1, 20));
    const delay = Math.max(Math.round(Math.random() * ceiling), retryAfterMs ?? 0);
    if (retryAfterMs !== undefined) notBefore = Date.now() + retryAfterMs;
    if (failures === 1 || failures % 10 === 0) {
      logger.warn({ detail, failures, retry_in_ms: delay, spool: spool.depth() }, 'audit service unreachable; spooling events');
    }
    return delay;
  }

  function noteSuccess(result: PiecesResult): void {
    if (failures > 0) logger.info({ failures }, 'audit service reachable again');
    failures = 0;
    metrics.sent.inc(result.sent);
    for (const { event, detail } of result.oversized) drop('rejected', 1, { status: 413, event_id: event.event_id, detail });
  }

  /** Waits, unless `close()` or `flush()` wakes it early. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pauseTimer = setTimeout(done, ms);
      pauseTimer.unref();
      function done() {
        clearTimeout(pauseTimer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  /** One pass: replay the spool while it has segments, then send the memory queue. */
  async function drain(waitOnFailure: boolean): Promise<void> {
    // One part-filled batch per pass: events that arrive while it is sent wait for a full batch or the
    // next tick, rather than leaving at once in small batches that each cost a request and a gzip stream.
    let sentPartBatch = false;
    for (;;) {
      const holdOff = notBefore - Date.now();
      if (holdOff > 0 && (spool.depth().segments > 0 || queue.length > 0)) {
        // The service said when to come back; flush and close leave the events spooled rather than ask early.
        if (!waitOnFailure || closed || flushing) return;
        await pause(holdOff);
        continue;
      }
      if (spool.depth().segments > 0 || queue.length > settings.maxQueue) {
        // Memory is newer than the spool, so it waits until the spool is replayed, and goes to disk only
        // when there is too much of it: spooling it every pass would route every event through the disk
        // for as long as new events keep arriving during a replay.
        if (queue.length > settings.maxQueue) await toSpool(takeAllAsBatches());
        const segment = await spool.oldest();
        if (!segment) continue;
        const result = await send(segment.events);
        const { outcome } = result;
        if (outcome.kind === 'sent') {
          await spool.remove(segment);
          noteSuccess(result);
        } else if (outcome.kind === 'rejected') {
          await spool.setAside(segment);
          drop('rejected', segment.events.length, { status: outcome.status, detail: outcome.detail, file: segment.file });
        } else {
          const delay = noteFailure(outcome.detail, outcome.retryAfterMs);
          if (!waitOnFailure || closed || flushing) return;
          await pause(delay);
        }
        updateDepthGauges();
      } else if (queue.length >= settings.batchSize || (queue.length > 0 && (!sentPartBatch || flushing || closed))) {
        if (queue.length < settings.batchSize) sentPartBatch = true;
        const batch = takeValid(settings.batchSize);
        if (batch.length === 0) continue;
        const result = await send(batch);
        const { outcome } = result;
        if (outcome.kind === 'sent') noteSuccess(result);
        else if (outcome.kind === 'rejected') drop('rejected', batch.length, { status: outcome.status, detail: outcome.detail });
        else {
          noteFailure(outcome.detail, outcome.retryAfterMs);
          await toSpool([batch]);
        }
        updateDepthGauges();
      } else {
        return;
      }
    }
  }

  function pump(waitOnFailure = true): Promise<void> {
    pumping ??= drain(waitOnFailure)
      .catch((error: unknown) => logger.error({ err: error }, 'audit client failed; events stay queued or spooled'))
      .finally(() => {
        pumping = undefined;
        updateDepthGauges();
      });
    return pumping;
  }

  /** One attempt at everything; a caller waiting on flush never waits out a backoff. */
  async function flush(): Promise<void> {
    flushing = true;
    try {
      wake?.();
      if (pumping) await pumping;
      await pump(false);
      // Whatever a failed send left in memory goes to disk, so it survives the process.
      await toSpool(takeAllAsBatches());
    } finally {
      flushing = false;
    }
  }

  function enqueue(event: AuditEventInput): boolean {
    if (closed) {
      drop('queue_full', 1, { detail: 'audit client closed' });
      return false;
    }
    metrics.recorded.inc();
    if (queue.length >= settings.maxQueue * 2) {
      drop('queue_full', 1, { max_queue: settings.maxQueue });
      return false;
    }
    queue.push(event);
    if (queue.length === settings.batchSize) setImmediate(() => void pump());
    return true;
  }

  return {
    record(event) {
      enqueue(event);
    },
    recordValid(event) {
      if (enqueue(event)) known.add(event);
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
      const left = takeAllAsBatches();
      if (left.length > 0 && !spool.appendNow(left)) drop('spool_full', left.flat().length);
      updateDepthGauges();
    },
    depth: () => ({ queued: queue.length, spool: spool.depth() }),
  };
}

/** The spool directory a producer uses unless told otherwise: `./.data/audit-spool/<service>`. */
export function defaultSpoolDir(service: string, cwd: string = process.cwd()): string {
  return path.resolve(cwd, '.data', 'audit-spool', service);
}
