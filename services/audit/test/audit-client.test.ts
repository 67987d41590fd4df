import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createLogger, createMetricsRegistry, freePort, type Registry } from '../../common';
import { createAuditClient } from '../../common/audit-client';
import { decisionEvent } from './support/audit-events';
import { buildTestApp, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const silent = createLogger({ service: 'audit-client-test', level: 'silent' });
const quickBackoff = { initialMs: 5, maxMs: 20 };


async function serve(subject: TestApp, port: number): Promise<http.Server> {
  const server = http.createServer(subject.app);
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = metric?.values.find((entry) => Object.entries(labels).every(([key, expected]) => entry.labels[key] === expected));
  return Number(value?.value ?? 0);
}

describe('audit client', () => {
  let testDb: TestDatabase;
  let subject: TestApp;
  let spoolDir: string;

  beforeAll(async () => {
    testDb = await openTestDatabase('pglite');
    subject = buildTestApp(testDb.database);
  });
  afterAll(async () => {
    await testDb.drop();
  });
  beforeEach(() => {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-spool-'));
  });
  afterEach(() => {
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  async function storedSeqs(tenant: string): Promise<{ event_id: string; seq: number }[]> {
    const rows = await testDb.database.db.selectFrom('audit_events').select(['event_id', 'seq']).where('tenant', '=', tenant).orderBy('seq').execute();
    return rows.map((row) => ({ event_id: row.event_id, seq: Number(row.seq) }));
  }

  it('sends batches while the service is up', async () => {
    const port = await freePort();
    const server = await serve(subject, port);
    const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
    const client = createAuditClient({ url: `http://127.0.0.1:${port}`, spoolDir, batchSize: 4, logger: silent, registry });
    const events = Array.from({ length: 10 }, () => decisionEvent({ tenant: 'client-up' }));
    try {
      for (const event of events) client.record(event);
      await client.flush();
      expect((await storedSeqs('client-up')).map((row) => row.event_id)).toEqual(events.map((event) => event.event_id));
      expect(await metricValue(registry, 'audit_client_events_sent_total')).toBe(10);
      expect(client.depth()).toEqual({ queued: 0, spool: { segments: 0, events: 0, bytes: 0 } });
    } finally {
      await client.close();
      await stop(server);
    }
  });

  it('spools while the service is down and replays in order, without duplicates, once it is back', async () => {
    const port = await freePort();
    const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
    const client = createAuditClient({ url: `http://127.0.0.1:${port}`, spoolDir, batchSize: 3, backoff: quickBackoff, logger: silent, registry });
    const tenant = 'client-outage';
    const before = Array.from({ length: 7 }, () => decisionEvent({ tenant }));
    for (const event of before) client.record(event);
    await client.flush();
    expect(client.depth().spool.events).toBe(7);
    expect(await metricValue(registry, 'audit_client_spool_events')).toBe(7);

    await client.close();

    // A producer that crashed after a send but before removing the segment sends that batch again.
    const segments = fs.readdirSync(spoolDir).sort();
    const highest = Number(segments[segments.length - 1]!.slice(0, 12));
    fs.copyFileSync(path.join(spoolDir, segments[0]!), path.join(spoolDir, `${String(highest + 1).padStart(12, '0')}-3.ndjson`));

    const restarted = createAuditClient({ url: `http://127.0.0.1:${port}`, spoolDir, batchSize: 3, backoff: quickBackoff, logger: silent, registry: createMetricsRegistry({ service: 'proxy', processMetrics: false }) });
    expect(restarted.depth().spool.events).toBe(10);
    const later = Array.from({ length: 2 }, () => decisionEvent({ tenant }));
    for (const event of later) restarted.record(event);
    const server = await serve(subject, port);
    try {
      await restarted.flush();
      expect(restarted.depth().spool.events).toBe(0);
      const stored = await storedSeqs(tenant);
      expect(stored.map((row) => row.event_id)).toEqual([...before, ...later].map((event) => event.event_id));
      expect(stored.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await metricValue(registry, 'audit_client_events_dropped_total', { reason: 'spool_full' })).toBe(0);
    } finally {
      await restarted.close();
      await stop(server);
    }
  });

  it('flushes at once while the service is down, even in the middle of a long backoff', async () => {
    const port = await freePort();
    const client = createAuditClient({
      url: `http://127.0.0.1:${port}`,
      spoolDir,
      flushIntervalMs: 5,
      backoff: { initialMs: 600_000, maxMs: 600_000 },
      logger: silent,
    });
    try {
      client.record(decisionEvent({ tenant: 'client-backoff' }));
      await client.flush();
      // Let the timer start a pump, which fails again and waits out a ten-minute backoff; flush must not wait for it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      client.record(decisionEvent({ tenant: 'client-backoff' }));
      await client.flush();
      expect(client.depth()).toMatchObject({ queued: 0, spool: { events: 2 } });
    } finally {
      await client.close();
    }
  });

  it('keeps the spool across a producer restart and replays it on start', async () => {
    const port = await freePort();
    const tenant = 'client-restart';
    const first = createAuditClient({ url: `http://127.0.0.1:${port}`, spoolDir, backoff: quickBackoff, logger: silent });
    const events = Array.from({ length: 5 }, () => decisionEvent({ tenant }));
    for (const event of events) first.record(event);
    await first.close();
    expect(fs.readdirSync(spoolDir).filter((name) => name.endsWith('.ndjson'))).toHaveLength(1);

    const server = await serve(subject, port);
    const second = createAuditClient({ url: `http://127.0.0.1:${port}`, spoolDir, backoff: quickBackoff, logger: silent });
    try {
      expect(second.depth().spool.events).toBe(5);
      await second.flush();
      expect((await storedSeqs(tenant)).map((row) => row.event_id)).toEqual(events.map((event) => event.event_id));
    } finally {
      await second.close();
      await stop(server);
    }
  });

  it('counts and logs drops only beyond the spool limit, and drops invalid events', async () => {
    const port = await freePort();
    const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
    const lines: string[] = [];
    const logger = createLogger({ service: 'pdp', level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const client = createAuditClient({
      url: `http://127.0.0.1:${port}`,
      spoolDir,
      batchSize: 2,
      maxSpoolBytes: 2000,
      backoff: quickBackoff,
      logger,
      registry,
    });
    try {
      for (let i = 0; i < 20; i += 1) client.record(decisionEvent({ tenant: 'client-full' }));
      client.record({ ...decisionEvent(), event_id: 'not-a-uuid' });
      await client.flush();
      const spooled = client.depth().spool.events;
      const dropped = await metricValue(registry, 'audit_client_events_dropped_total', { reason: 'spool_full' });
      expect(spooled).toBeGreaterThan(0);
      expect(dropped).toBeGreaterThan(0);
      expect(spooled + dropped).toBe(20);
      expect(client.depth().spool.bytes).toBeLessThanOrEqual(2000);
      expect(await metricValue(registry, 'audit_client_events_dropped_total', { reason: 'invalid' })).toBe(1);
      expect(lines.some((line) => line.includes('"reason":"spool_full"') && line.includes('audit events dropped'))).toBe(true);
    } finally {
      await client.close();
    }
  });
});
