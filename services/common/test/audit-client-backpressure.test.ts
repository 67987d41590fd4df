import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { createLogger, createMetricsRegistry, type Registry } from '..';
import { createAuditClient, type AuditEventInput } from '../audit-client';
import { retryAfterMs } from '../audit-client/retry-after';

const silent = createLogger({ service: 'audit-client-test', level: 'silent' });
const quickBackoff = { initialMs: 5, maxMs: 20 };

function event(payload: Record<string, unknown> = {}): AuditEventInput {
  return { event_id: randomUUID(), event_type: 'decision', occurred_at: new Date().toISOString(), decision: 'allow', tenant: 'bp', payload };
}

type Reply = { status: number; headers?: Record<string, string> };

/** A stand-in for `POST /v1/events` that answers each batch as `decide` says and keeps the accepted ids. */
async function fakeAuditService(decide: (ids: string[], attempt: number) => Reply) {
  const accepted: string[] = [];
  const batches: string[][] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')) as { events: { event_id: string }[] };
      const ids = body.events.map((entry) => entry.event_id);
      batches.push(ids);
      const reply = decide(ids, batches.length);
      if (reply.status === 202) accepted.push(...ids.filter((id) => !accepted.includes(id)));
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    batches,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function dropped(registry: Registry, reason: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === 'audit_client_events_dropped_total');
  return Number(metric?.values.find((entry) => entry.labels.reason === reason)?.value ?? 0);
}

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates, caps long waits, ignores nonsense', () => {
    const now = Date.parse('2026-11-22T06:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sun, 22 Nov 2026 06:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 05:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(600_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('audit client under back-pressure', () => {
  let spoolDir: string;
  beforeEach(() => {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-bp-spool-'));
  });
  afterEach(() => {
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  it.each([429, 503])('after a %i with Retry-After, sends nothing more until then: flushes keep the events spooled', async (status) => {
    const service = await fakeAuditService((_ids, attempt) => (attempt === 1 ? { status, headers: { 'retry-after': '120' } } : { status: 202 }));
    const client = createAuditClient({ url: service.url, spoolDir, backoff: quickBackoff, flushIntervalMs: 5, logger: silent });
    try {
      for (let i = 0; i < 3; i += 1) client.record(event());
      await client.flush();
      client.record(event());
      // The timer's passes and these flushes would all send again with only the 5-20 ms backoff.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.flush();
      await client.flush();
      expect(service.batches).toHaveLength(1);
      expect(client.depth()).toMatchObject({ queued: 0, spool: { events: 4 } });
    } finally {
      await client.close();
      await service.close();
    }
  });

  it('without Retry-After the same refusal is retried on the next flush', async () => {
    const service = await fakeAuditService((_ids, attempt) => (attempt === 1 ? { status: 503 } : { status: 202 }));
    const client = createAuditClient({ url: service.url, spoolDir, backoff: quickBackoff, logger: silent });
    const events = [event(), event()];
    try {
      for (const entry of events) client.record(entry);
      await client.flush();
      await client.flush();
      expect(service.accepted).toEqual(events.map((entry) => entry.event_id));
      expect(client.depth().spool.events).toBe(0);
    } finally {
      await client.close();
      await service.close();
    }
  });

  it.each([
    ['from memory', false],
    ['from the spool', true],
  ])('splits a batch refused with 413 (%s); an event too large alone is dropped, counted, and the rest stored once, in order', async (_where, spoolFirst) => {
    const huge = event({ blob: 'x'.repeat(10) });
    const events = [event(), event(), huge, event(), event(), event(), event()];
    let down = spoolFirst;
    // At most two events per request, and never the huge one.
    const service = await fakeAuditService((ids) =>
      down ? { status: 502 } : ids.length > 2 || ids.includes(huge.event_id) ? { status: 413 } : { status: 202 },
    );
    const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
    const client = createAuditClient({ url: service.url, spoolDir, batchSize: 7, backoff: quickBackoff, logger: silent, registry });
    try {
      for (const entry of events) client.record(entry);
      await client.flush();
      if (spoolFirst) {
        expect(client.depth().spool.events).toBe(7);
        down = false;
        await client.flush();
      }
      expect(service.accepted).toEqual(events.filter((entry) => entry !== huge).map((entry) => entry.event_id));
      expect(await dropped(registry, 'rejected')).toBe(1);
      expect(client.depth()).toEqual({ queued: 0, spool: { segments: 0, events: 0, bytes: 0 } });
    } finally {
      await client.close();
      await service.close();
    }
  });
});
