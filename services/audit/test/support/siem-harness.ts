import type { Express, RequestHandler } from 'express';
import { createLogger, createMetricsRegistry, createReadiness, type Registry } from '../../../common';
import type { AuditEventInput } from '../../../common/contracts/audit-event';
import { createAuditApp } from '../../app';
import { createAuditStore, type AuditStore } from '../../audit-store';
import { createSiemForwarder, type SiemForwarder } from '../../siem/siem-forwarder';
import { parseSinks } from '../../siem/sink-config';
import type { TestDatabase } from './test-database';
import request from 'supertest';

export interface SiemHarness {
  app: Express;
  store: AuditStore;
  forwarder: SiemForwarder;
  registry: Registry;
  testDatabase: TestDatabase;
  ingest(events: AuditEventInput[]): Promise<void>;
  /** Outbox rows of a sink by status, and `delivered`: events the sink accepted (their rows are gone). */
  statuses(sink: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface SiemHarnessOptions {
  /** Start the relays at once (default); false lets a test stage the outbox first. */
  start?: boolean;
  authenticate?: RequestHandler;
}

/**
 * An audit app with a SIEM forwarder over a test database (shared by a file's tests: opening PGlite is
 * the slow part), sinks given as they would be in `AUDIT_SINKS`, relays polling fast so tests do not wait.
 */
export async function startSiemHarness(
  testDatabase: TestDatabase,
  sinks: unknown[],
  options: SiemHarnessOptions = {},
): Promise<SiemHarness> {
  const database = testDatabase.database;
  const configs = parseSinks(JSON.stringify(sinks));
  const logger = createLogger({ service: 'audit-test', level: 'silent' });
  const registry = createMetricsRegistry({ service: 'audit', processMetrics: false });
  const store = createAuditStore(database, configs.map((sink) => sink.name));
  const forwarder = createSiemForwarder({ database, sinks: configs, recentEvents: store.recentEvents, ingestClaims: store.ingestClaims, registry, logger, pollIntervalMs: 20, gaugeIntervalMs: 60_000, stopGraceMs: 200 });
  const app = createAuditApp({
    logger,
    registry,
    readiness: createReadiness(),
    store,
    extraRoutes: forwarder.routes,
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
  });
  if (options.start ?? true) forwarder.start();
  return {
    app,
    store,
    forwarder,
    registry,
    testDatabase,
    async ingest(events) {
      const response = await request(app).post('/v1/events').send({ events });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(response.body)}`);
    },
    async statuses(sink) {
      const rows = await database.db
        .selectFrom('audit_deliveries')
        .select(({ fn }) => ['status', fn.countAll<number | string>().as('count')])
        .where('sink', '=', sink)
        .groupBy('status')
        .execute();
      const delivered = await metricValue(registry, 'audit_siem_events_delivered_total', { sink });
      return { ...Object.fromEntries(rows.map((row) => [row.status, Number(row.count)])), ...(delivered > 0 ? { delivered } : {}) };
    },
    /** Stops the forwarder and empties the outbox and dead letters for the next test (events stay). */
    async close() {
      await forwarder.stop();
      await database.db.deleteFrom('audit_deliveries').execute();
      await database.db.deleteFrom('audit_dead_letters').execute();
    },
  };
}

/** Settings that make retries and the breaker fast enough for a test. */
export const FAST_RETRIES = {
  retry: { base_ms: 20, max_ms: 200 },
  breaker: { reset_timeout_ms: 200, volume_threshold: 3, error_threshold_percentage: 50, rolling_window_ms: 1000 },
  timeout_ms: 2000,
};

/** The value of a metric's series with these labels (0 when absent). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const series = values.find((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected));
  return series?.value ?? 0;
}
