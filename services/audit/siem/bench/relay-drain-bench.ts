import { randomBytes, randomUUID } from 'node:crypto';
import { createLogger, createMetricsRegistry } from '../../../common';
import { auditEventSchema } from '../../../common/contracts/audit-event';
import { createAuditStore } from '../../audit-store';
import { prepareEvent } from '../../ingest/prepare-event';
import { createRedactor } from '../../ingest/redaction';
import { openAuditDatabase } from '../../store/audit-database';
import { migrateToLatest } from '../../store/sql-migrations';
import { createSiemForwarder } from '../siem-forwarder';
import { parseSinks } from '../sink-config';
import { secondsUntil, startCountingHec } from './counting-hec';
import { pendingEventOf } from '../../ingest/pending-event';

type CpuSnapshot = { node: number; postgres: number };

/** What the audit benchmark lends this one: its database, throwaway schemas and CPU accounting. */
export interface DrainBenchmarkContext {
  databaseUrl: string;
  withSchema<T>(schema: string, work: () => Promise<T>): Promise<T>;
  withApplicationName(url: string, name: string): string;
  cpuSnapshot(nodePid: number, applicationName: string): Promise<CpuSnapshot>;
  cpuSecondsOf(pid: number): number;
  /** The stored events' ids, made as in the rest of the benchmark (`BENCH_EVENT_IDS`). */
  newEventId(): string;
}

/**
 * The relay alone: a backlog of `events` stored events (outbox rows for one HEC sink) is forwarded to a
 * local HEC endpoint; prints events/s and the CPU the relay costs per event (Node + Postgres backends).
 * The forwarder holds none of the events in memory (as after a restart): each one is read back.
 */
export async function relayDrainBenchmark(context: DrainBenchmarkContext, events: number): Promise<number> {
  const schema = `bench_relay_${process.pid}_${randomBytes(3).toString('hex')}`;
  return context.withSchema(schema, async () => {
    const applicationName = `audit_bench_relay_${process.pid}`;
    const database = await openAuditDatabase({ url: context.withApplicationName(context.databaseUrl, applicationName), schema, poolSize: 4 });
    const hec = await startCountingHec('bench-token');
    try {
      await migrateToLatest(database.db);
      const store = createAuditStore(database, ['splunk']);
      const redactor = createRedactor();
      for (let stored = 0; stored < events; stored += 1000) {
        const batch = Array.from({ length: Math.min(1000, events - stored) }, (_, i) =>
          auditEventSchema.parse({
            event_id: context.newEventId(),
            event_type: 'decision',
            occurred_at: new Date(Date.now() - i * 1000).toISOString(),
            decision: i % 7 === 0 ? 'deny' : 'allow',
            principal: { id: `user-${i % 500}`, type: 'user' },
            action: 'tools/call',
            server: `server-${i % 10}`,
            tool: `tool_${i % 50}`,
            reason: 'allowed by rule mcp.gateway.allow_read',
            revision: 'rev-42',
            decision_id: randomUUID(),
            request_id: randomUUID(),
            latency_ms: 0.3,
            payload: { arguments: { path: `/tmp/file-${i}.txt`, mode: 'read' } },
          }),
        );
        await store.writer.write(batch.map((event, i) => prepareEvent(event, redactor, i)).map(pendingEventOf));
      }
      const forwarder = createSiemForwarder({
        database,
        sinks: parseSinks(JSON.stringify([{ type: 'splunk_hec', name: 'splunk', url: hec.url, token: 'bench-token', batch: { max_events: 1000, max_bytes: 5_000_000 } }])),
        registry: createMetricsRegistry({ service: 'audit', processMetrics: false }),
        logger: createLogger({ service: 'audit', level: 'warn' }),
      });
      const before = await context.cpuSnapshot(process.pid, applicationName);
      const hecBefore = context.cpuSecondsOf(hec.pid);
      forwarder.start();
      const seconds = await secondsUntil(hec.events, events, 300_000);
      const after = await context.cpuSnapshot(process.pid, applicationName);
      const hecMicros = ((context.cpuSecondsOf(hec.pid) - hecBefore) / events) * 1e6;
      await forwarder.stop();
      if (seconds === undefined) throw new Error('the relay did not drain the backlog within 300 s');
      const nodeMicros = ((after.node - before.node) / events) * 1e6;
      const postgresMicros = ((after.postgres - before.postgres) / events) * 1e6;
      console.log(
        `relay CPU per event: node ${nodeMicros.toFixed(1)} µs + postgres backends ${postgresMicros.toFixed(1)} µs ` +
          `→ about ${Math.round(2e6 / (nodeMicros + postgresMicros))} events/s on 2 dedicated cores (HEC receiver: ${hecMicros.toFixed(1)} µs more)`,
      );
      return events / seconds;
    } finally {
      await hec.close();
      await database.close();
    }
  });
}
