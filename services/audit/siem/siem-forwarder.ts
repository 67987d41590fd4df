import type { RequestHandler } from 'express';
import type { Logger, Registry } from '../../common';
import type { AuditDatabase } from '../store/audit-database';
import type { IngestClaims } from './ingest-claims';
import type { RecentEvents } from './recent-events';
import { boundedQueue } from './bounded-queue';
import { deadLetterRoutes } from './dead-letter-routes';
import { createDeadLetters, type DeadLetters } from './dead-letters';
import { createDeliveryQueue } from './delivery-queue';
import { createSiemMetrics } from './siem-metrics';
import { createSinkRelay, type SinkRelay } from './sink-relay';
import { describeSink, type SinkConfig } from './sink-config';
import { createSinkTransport } from './sinks/create-transport';

export interface SiemForwarderOptions {
  database: AuditDatabase;
  sinks: readonly SinkConfig[];
  /** The store's `recentEvents`: events this instance committed are sent without reading them back. */
  recentEvents?: RecentEvents | undefined;
  /** The store's `ingestClaims`: while a relay can send, ingest writes its rows already claimed and hands them over. */
  ingestClaims?: IngestClaims | undefined;
  registry: Registry;
  logger: Logger;
  /** Idle relay workers look for due rows this often (default 250 ms). */
  pollIntervalMs?: number;
  /** The lag and dead-letter gauges are refreshed this often (default 5 s). */
  gaugeIntervalMs?: number;
  /** How long a claimed row belongs to this instance before another may take it (default 5 min). */
  leaseMs?: number;
  /** How long stopping waits for batches in flight before cutting them off (default 5 s). */
  stopGraceMs?: number;
  /** Database calls the relays make at once, all sinks together (default 3; the pool has 8). */
  databaseSlots?: number;
}

/**
 * Forwards stored events to the configured SIEM sinks from the outbox, asynchronously: ingest only writes
 * outbox rows, so a slow or dead sink never slows it. Also serves the dead-letter API.
 */
export interface SiemForwarder {
  start(): void;
  stop(): Promise<void>;
  /** `/v1/dead-letters` routes, for the audit app's `extraRoutes`. */
  routes: RequestHandler;
  relays: ReadonlyMap<string, SinkRelay>;
  deadLetters: DeadLetters;
  /** Refreshes the lag and dead-letter gauges now. */
  refreshGauges(): Promise<void>;
}

export function createSiemForwarder(options: SiemForwarderOptions): SiemForwarder {
  const metrics = createSiemMetrics(options.registry);
  const queue = boundedQueue(createDeliveryQueue(options.database, options.recentEvents), options.databaseSlots ?? 3);
  const deadLetters = createDeadLetters(options.database);
  const names = options.sinks.map((sink) => sink.name);
  const relays = new Map<string, SinkRelay>(
    options.sinks.map((sink) => [
      sink.name,
      createSinkRelay({
        sink,
        transport: createSinkTransport(sink),
        queue,
        metrics,
        logger: options.logger,
        pollIntervalMs: options.pollIntervalMs ?? 250,
        leaseMs: options.leaseMs ?? 300_000,
        stopGraceMs: options.stopGraceMs ?? 5000,
        ingestClaims: options.ingestClaims,
      }),
    ]),
  );
  let gaugeTimer: NodeJS.Timeout | undefined;

  async function refreshGauges(): Promise<void> {
    for (const name of names) {
      metrics.lagSeconds.set({ sink: name }, await queue.lagSeconds(name));
    }
    for (const [sink, count] of await deadLetterCounts(options.database, names)) metrics.deadLettersOpen.set({ sink }, count);
  }

  return {
    start() {
      for (const sink of options.sinks) options.logger.info({ sink: describeSink(sink) }, 'SIEM sink forwarding');
      for (const relay of relays.values()) relay.start();
      if (names.length > 0 && !gaugeTimer) {
        gaugeTimer = setInterval(() => {
          refreshGauges().catch((error: unknown) => options.logger.warn({ err: error }, 'cannot refresh SIEM lag gauges'));
        }, options.gaugeIntervalMs ?? 5000);
        gaugeTimer.unref();
      }
    },
    async stop() {
      if (gaugeTimer) clearInterval(gaugeTimer);
      gaugeTimer = undefined;
      // Every relay finishes recording before this resolves (and the database may close), even when one fails.
      const stopped = await Promise.allSettled([...relays.values()].map((relay) => relay.stop()));
      const failed = stopped.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
    routes: deadLetterRoutes(deadLetters, names),
    relays,
    deadLetters,
    refreshGauges,
  };
}

async function deadLetterCounts(database: AuditDatabase, sinks: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map(sinks.map((sink) => [sink, 0]));
  if (sinks.length === 0) return counts;
  const rows = await database.db
    .selectFrom('audit_dead_letters')
    .select(({ fn }) => ['sink', fn.countAll<number | string>().as('count')])
    .where('redriven_at', 'is', null)
    .where('sink', 'in', [...sinks])
    .groupBy('sink')
    .execute();
  for (const row of rows) counts.set(row.sink, Number(row.count));
  return counts;
}
