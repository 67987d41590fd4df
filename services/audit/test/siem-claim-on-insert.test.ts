import { sql } from 'kysely';
import { createAuditStore, type AuditStore } from '../audit-store';
import { prepareBatch } from '../ingest/batch-preparation';
import { createRedactor } from '../ingest/redaction';
import { createDeliveryQueue } from '../siem/delivery-queue';
import type { InsertedClaim } from '../siem/ingest-claims';
import { decisionEvent } from './support/audit-events';
import { ENGINES, useTestDatabase } from './support/test-database';

jest.setTimeout(60_000);

describe.each(ENGINES)('delivery rows claimed on insert (%s)', (engine) => {
  const testDb = useTestDatabase(engine);
  afterEach(async () => {
    await testDb.database.db.deleteFrom('audit_deliveries').execute();
  });

  /** A store with sinks `hook` and `other`, where only `hook`'s relay takes rows, with the given lease. */
  function storeWithInbox(leaseMs: number) {
    const store = createAuditStore(testDb.database, ['hook', 'other']);
    const handed: InsertedClaim[][] = [];
    let cancelled = 0;
    store.ingestClaims!.register('hook', {
      reserve: () => ({ leaseMs, handOver: (rows) => void handed.push([...rows]), cancel: () => void cancelled++ }),
    });
    return { store, handed, cancelled: () => cancelled };
  }

  async function write(store: AuditStore, inputs: ReturnType<typeof decisionEvent>[]) {
    return store.writer.write(await prepareBatch([...inputs], createRedactor()));
  }

  async function rows() {
    const result = await sql<{ id: string; event_id: string; sink: string; status: string; attempts: number; lease_s: number }>`
      select id::text as id, event_id, sink, status, attempts, extract(epoch from next_attempt_at - created_at)::float8 as lease_s
      from audit_deliveries order by sink, id
    `.execute(testDb.database.db);
    return result.rows.map((row) => ({ ...row, attempts: Number(row.attempts), lease_s: Number(row.lease_s) }));
  }

  it("writes a sink's rows in_flight with its relay's lease and first attempt, hands them over after the commit, and the other sink's pending", async () => {
    const { store, handed } = storeWithInbox(60_000);
    const inputs = [decisionEvent({ tenant: 'claims' }), decisionEvent({ tenant: 'claims' })];
    await write(store, inputs);

    const stored = await rows();
    const hook = stored.filter((row) => row.sink === 'hook');
    expect(hook.map(({ status, attempts }) => ({ status, attempts }))).toEqual([{ status: 'in_flight', attempts: 1 }, { status: 'in_flight', attempts: 1 }]);
    for (const row of hook) expect(row.lease_s).toBeCloseTo(60, 0);
    expect(stored.filter((row) => row.sink === 'other').map(({ status, attempts }) => ({ status, attempts }))).toEqual([
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ]);

    expect(handed).toHaveLength(1);
    expect(handed[0]!.map((row) => row.id).sort()).toEqual(hook.map((row) => row.id).sort());
    for (const row of handed[0]!) {
      expect(JSON.parse(row.canonical).event_id).toBe(row.eventId);
      expect(hook.find((stored) => stored.id === row.id)!.event_id).toBe(row.eventId);
    }

    // A retried batch stores nothing and hands nothing over (the reservation still ends).
    await write(store, inputs);
    expect(handed).toHaveLength(2);
    expect(handed[1]).toEqual([]);
    expect(await rows()).toHaveLength(4);
  });

  it("keeps the events' texts in memory only when some sink's rows were written pending, for its relay's later claim", async () => {
    const onlyHook = createAuditStore(testDb.database, ['hook']);
    onlyHook.ingestClaims!.register('hook', { reserve: () => ({ leaseMs: 60_000, handOver: () => undefined, cancel: () => undefined }) });
    const handedOver = decisionEvent({ tenant: 'claims' });
    await write(onlyHook, [handedOver]);
    expect(onlyHook.recentEvents!.get(handedOver.event_id)).toBeUndefined();

    const { store } = storeWithInbox(60_000);
    const partlyPending = decisionEvent({ tenant: 'claims' });
    await write(store, [partlyPending]);
    expect(JSON.parse(store.recentEvents!.get(partlyPending.event_id)!.canonical).event_id).toBe(partlyPending.event_id);
  });

  it('rows of an instance that died before sending them are due again when the lease runs out, and the claim counts the next attempt', async () => {
    const { store } = storeWithInbox(0);
    await write(store, [decisionEvent({ tenant: 'claims' }), decisionEvent({ tenant: 'claims' })]);
    const queue = createDeliveryQueue(testDb.database);

    expect(await queue.releaseExpiredLeases('hook')).toBe(2);
    const claimed = await queue.claim('hook', 10, 60_000);
    expect(claimed.map((row) => row.attempts)).toEqual([2, 2]);
    expect(claimed.every((row) => row.event?.event.tenant === 'claims')).toBe(true);
    await queue.markDelivered(claimed.map((row) => row.id));
    expect((await rows()).map((row) => row.sink)).toEqual(['other', 'other']);
  });

  it('a transaction that fails cancels the reservation and writes nothing', async () => {
    const { store, handed, cancelled } = storeWithInbox(60_000);
    await sql`alter table audit_deliveries add constraint refuse_hook check (sink <> 'hook') not valid`.execute(testDb.database.db);
    try {
      await expect(write(store, [decisionEvent({ tenant: 'claims' })])).rejects.toThrow();
    } finally {
      await sql`alter table audit_deliveries drop constraint refuse_hook`.execute(testDb.database.db);
    }
    expect(cancelled()).toBe(1);
    expect(handed).toEqual([]);
    expect(await rows()).toEqual([]);
  });
});
