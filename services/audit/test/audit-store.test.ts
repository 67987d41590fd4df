import fs from 'node:fs';
import { sql } from 'kysely';
import { auditEventSchema } from '../../common/contracts/audit-event';
import { createAuditStore, type AuditStore } from '../audit-store';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { applyRetention } from '../maintenance/retention';
import { locateMigrationsDirectory, migrateDown, migrateToLatest } from '../store/sql-migrations';
import { decisionEvent } from './support/audit-events';
import { ENGINES, openTestDatabase, type TestDatabase } from './support/test-database';
import { pendingEventOf } from '../ingest/pending-event';

const redactor = createRedactor();
const NOW = new Date('2026-03-01T12:00:00Z');

function prepared(overrides: Parameters<typeof decisionEvent>[0] = {}) {
  return prepareEvent(auditEventSchema.parse(decisionEvent(overrides)), redactor, 0, NOW);
}

function daysBefore(days: number, hour = 12): string {
  const date = new Date(NOW.getTime() - days * 86_400_000);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
}

let tenantCounter = 0;
/** Tests share a database (PGlite takes seconds to start); each works in a tenant of its own. */
function freshTenant(): string {
  tenantCounter += 1;
  return `tenant-${tenantCounter}`;
}

describe.each(ENGINES)('audit store (%s)', (engine) => {
  let testDb: TestDatabase;
  let store: AuditStore;

  beforeAll(async () => {
    testDb = await openTestDatabase(engine);
    store = createAuditStore(testDb.database, ['webhook']);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const db = () => testDb.database.db;
  const partitionOf = (iso: string) => `audit_events_${iso.slice(0, 10).replace(/-/g, '')}`;

  it('migrates idempotently and down to nothing and back up', async () => {
    const own = await openTestDatabase(engine);
    try {
      expect((await migrateToLatest(own.database.db)).applied).toEqual([]);
      await createAuditStore(own.database).writer.write([prepared()].map(pendingEventOf));
      const all = fs.readdirSync(locateMigrationsDirectory()).filter((file) => file.endsWith('.up.sql')).map((file) => file.slice(0, -'.up.sql'.length)).sort();
      expect(all.slice(0, 3)).toEqual(['0001_audit_events', '0002_audit_outbox', '0003_audit_writer_role']);
      for (let i = 0; i < all.length; i += 1) await migrateDown(own.database.db);
      const left = await sql<{ name: string | null }>`select to_regclass('audit_events')::text as name`.execute(own.database.db);
      expect(left.rows[0]?.name).toBeNull();
      expect((await migrateToLatest(own.database.db)).applied).toEqual(all);
    } finally {
      await own.drop();
    }
  });

  it('rejects UPDATE, DELETE and TRUNCATE of audit rows, also on a partition directly', async () => {
    const event = prepared();
    await store.writer.write([event].map(pendingEventOf));
    const partition = partitionOf(event.occurred_at);
    const attempts = [
      sql`update audit_events set decision = 'deny' where event_id = ${event.event_id}`,
      sql`delete from audit_events where event_id = ${event.event_id}`,
      sql`truncate audit_events`,
      sql`update ${sql.table(partition)} set reason = 'x'`,
      sql`truncate ${sql.table(partition)}`,
    ];
    for (const attempt of attempts) await expect(attempt.execute(db())).rejects.toThrow(/append-only/);
    const count = await sql<{ n: number | string }>`select count(*) as n from audit_events where event_id = ${event.event_id}`.execute(db());
    expect(Number(count.rows[0]?.n)).toBe(1);
  });

  it('creates a writer role that can insert and select audit rows but not change them', async () => {
    const privileges = await sql<{ privilege: string; granted: boolean }>`
      select p.privilege, has_table_privilege('mcp_authz_audit_writer', 'audit_events', p.privilege) as granted
      from (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) as p(privilege)
    `.execute(db());
    expect(Object.fromEntries(privileges.rows.map((row) => [row.privilege, row.granted]))).toEqual({
      SELECT: true,
      INSERT: true,
      UPDATE: false,
      DELETE: false,
      TRUNCATE: false,
    });
  });

  it('creates a day partition on demand and ahead of time', async () => {
    await store.partitions.ensureAhead(NOW, 2);
    const event = prepared({ occurred_at: '2026-02-10T23:59:59.999Z' });
    await store.writer.write([event].map(pendingEventOf));
    const partitions = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'audit_events'::regclass order by 1
    `.execute(db());
    const names = partitions.rows.map((row) => row.name);
    expect(names).toEqual(expect.arrayContaining(['audit_events_20260210', 'audit_events_20260301', 'audit_events_20260302', 'audit_events_20260303']));
    expect(names).not.toContain('audit_events_20260304');
  });

  it('chains each tenant separately and verifies the chain intact', async () => {
    const [a, b] = [freshTenant(), freshTenant()];
    await store.writer.write([prepared({ tenant: a }), prepared({ tenant: b }), prepared({ tenant: a })].map(pendingEventOf));
    await store.writer.write([prepared({ tenant: a })].map(pendingEventOf));
    const rows = await db().selectFrom('audit_events').select(['seq', 'prev_hash', 'hash']).where('tenant', '=', a).orderBy('seq').execute();
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3]);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[2]?.prev_hash).toBe(rows[1]?.hash);
    expect(await store.verifier.verify({ tenant: a })).toEqual({ ok: true, checked: 3, first_broken: null });
    expect(await store.verifier.verify({ tenant: b })).toEqual({ ok: true, checked: 1, first_broken: null });
  });

  it('chains concurrent batches of a new tenant one after another', async () => {
    const tenant = freshTenant();
    const fresh = createAuditStore(testDb.database);
    const occurred_at = '2026-02-20T10:00:00.000Z';
    // The partition exists already, so the writers meet at the chain head rather than at partition creation.
    await fresh.writer.write([prepared({ tenant: freshTenant(), occurred_at })].map(pendingEventOf));
    const batches = Array.from({ length: 4 }, () => Array.from({ length: 300 }, () => prepared({ tenant, occurred_at })));
    const results = await Promise.all(batches.map((batch) => fresh.writer.write(batch.map(pendingEventOf))));
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ accepted: 300, duplicates: 0 })));
    const seqs = await db().selectFrom('audit_events').select('seq').where('tenant', '=', tenant).orderBy('seq').execute();
    expect(seqs.map((row) => Number(row.seq))).toEqual(Array.from({ length: 1200 }, (_, index) => index + 1));
    expect(await fresh.verifier.verify({ tenant })).toEqual({ ok: true, checked: 1200, first_broken: null });
  });

  const seqsOf = async (tenant: string) =>
    (await db().selectFrom('audit_events').select('seq').where('tenant', '=', tenant).orderBy('seq').execute()).map((row) => Number(row.seq));

  it('writes batches chained from a failed batch again, from the head, and the chain stays whole', async () => {
    const tenant = freshTenant();
    const writer = createAuditStore(testDb.database).writer;
    await writer.write([prepared({ tenant })].map(pendingEventOf));
    // Postgres refuses U+0000 in jsonb only when the row goes in, after the batch has chained.
    const failing = [prepared({ tenant }), prepared({ tenant, payload: { text: 'nul \u0000 inside' } })];
    const outcomes = await Promise.allSettled([
      writer.write(failing.map(pendingEventOf)),
      writer.write(Array.from({ length: 50 }, () => prepared({ tenant })).map(pendingEventOf)),
      writer.write(Array.from({ length: 50 }, () => prepared({ tenant })).map(pendingEventOf)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(await seqsOf(tenant)).toEqual(Array.from({ length: 101 }, (_, index) => index + 1));
    expect(await store.verifier.verify({ tenant })).toEqual({ ok: true, checked: 101, first_broken: null });
    await writer.write([prepared({ tenant })].map(pendingEventOf));
    expect(await store.verifier.verify({ tenant })).toMatchObject({ ok: true, checked: 102 });
  });

  it('keeps one whole chain when two instances write the same tenant at once', async () => {
    const tenant = freshTenant();
    const instances = [createAuditStore(testDb.database), createAuditStore(testDb.database)];
    for (const instance of instances) await instance.writer.write([prepared({ tenant })].map(pendingEventOf));
    const results = await Promise.all(
      [0, 1, 0, 1, 0, 1].map((index) => instances[index]!.writer.write(Array.from({ length: 100 }, () => prepared({ tenant })).map(pendingEventOf))),
    );
    expect(results).toEqual(Array.from({ length: 6 }, () => ({ accepted: 100, duplicates: 0 })));
    expect(await seqsOf(tenant)).toEqual(Array.from({ length: 602 }, (_, index) => index + 1));
    expect(await store.verifier.verify({ tenant })).toEqual({ ok: true, checked: 602, first_broken: null });
  });

  it('names the first tampered event when a row is changed directly in SQL', async () => {
    const tenant = freshTenant();
    const events = [prepared({ tenant }), prepared({ tenant }), prepared({ tenant }), prepared({ tenant })];
    await store.writer.write(events.map(pendingEventOf));
    const victim = events[1]!;
    await testDb.tamper([`update audit_events set decision = 'deny' where event_id = '${victim.event_id}'`]);
    expect(await store.verifier.verify({ tenant })).toEqual({
      ok: false,
      checked: 1,
      first_broken: { tenant, seq: 2, event_id: victim.event_id, reason: "hash does not match the event's content" },
    });
  });

  it('detects a deleted event and a deleted tail', async () => {
    const tenant = freshTenant();
    const events = [prepared({ tenant }), prepared({ tenant }), prepared({ tenant }), prepared({ tenant })];
    await store.writer.write(events.map(pendingEventOf));
    await testDb.tamper([`delete from audit_events where event_id = '${events[3]!.event_id}'`]);
    const tail = await store.verifier.verify({ tenant });
    expect(tail.ok).toBe(false);
    expect(tail.first_broken).toMatchObject({ seq: 4, event_id: null });

    await testDb.tamper([`delete from audit_events where event_id = '${events[1]!.event_id}'`]);
    const middle = await store.verifier.verify({ tenant });
    expect(middle.first_broken).toMatchObject({ seq: 3, event_id: events[2]!.event_id, reason: expect.stringContaining('event 2 is missing') });
  });

  it('detects a recomputed hash, which breaks the next link', async () => {
    const tenant = freshTenant();
    const events = [prepared({ tenant }), prepared({ tenant }), prepared({ tenant })];
    await store.writer.write(events.map(pendingEventOf));
    // A forger who rewrites an event and its hash still cannot fix the next event's prev_hash.
    await testDb.tamper([`update audit_events set reason = 'forged', hash = repeat('a', 64) where event_id = '${events[0]!.event_id}'`]);
    const result = await store.verifier.verify({ tenant });
    expect(result.first_broken?.seq).toBe(1);
  });

  it('verifies only a time range when asked, still checking the link into it', async () => {
    const tenant = freshTenant();
    const early = prepared({ tenant, occurred_at: daysBefore(5) });
    const late = [prepared({ tenant, occurred_at: daysBefore(1) }), prepared({ tenant, occurred_at: daysBefore(1, 13) })];
    await store.writer.write([early, ...late].map(pendingEventOf));
    expect(await store.verifier.verify({ tenant, from: daysBefore(2) })).toEqual({ ok: true, checked: 2, first_broken: null });
    await testDb.tamper([`update audit_events set hash = repeat('b', 64) where event_id = '${early.event_id}'`]);
    const ranged = await store.verifier.verify({ tenant, from: daysBefore(2) });
    expect(ranged.first_broken).toMatchObject({ seq: 2, reason: "prev_hash does not match the previous event's hash" });
  });

  it('recreates a partition another instance dropped while this one still remembered it', async () => {
    const tenant = freshTenant();
    const longAgo = '2005-01-01T10:00:00.000Z';
    const remembering = createAuditStore(testDb.database);
    await remembering.writer.write([prepared({ tenant, occurred_at: longAgo })].map(pendingEventOf));
    const other = createAuditStore(testDb.database);
    const outcome = await applyRetention(testDb.database, other.partitions, 30, new Date('2005-03-01T00:00:00Z'));
    expect(outcome.dropped).toEqual(['audit_events_20050101']);
    await expect(remembering.writer.write([prepared({ tenant, occurred_at: longAgo })].map(pendingEventOf))).resolves.toEqual({ accepted: 1, duplicates: 0 });
    expect(await remembering.verifier.verify({ tenant })).toEqual({ ok: true, checked: 1, first_broken: null });
  });

  it('drops partitions past retention after anchoring the chain, and verify still passes', async () => {
    const own = await openTestDatabase(engine);
    try {
      const ownStore = createAuditStore(own.database);
      // Out of time order on purpose: sequence runs interleave across days.
      const batches = [
        [prepared({ occurred_at: daysBefore(40) }), prepared({ occurred_at: daysBefore(40, 13) })],
        [prepared({ occurred_at: daysBefore(10) })],
        [prepared({ occurred_at: daysBefore(39) }), prepared({ occurred_at: daysBefore(2) })],
        [prepared({ occurred_at: daysBefore(40, 14) }), prepared({ occurred_at: daysBefore(1) })],
        [prepared({ tenant: 'other', occurred_at: daysBefore(45) })],
      ];
      for (const batch of batches) await ownStore.writer.write(batch.map(pendingEventOf));
      expect((await ownStore.verifier.verify({})).ok).toBe(true);

      const outcome = await applyRetention(own.database, ownStore.partitions, 30, NOW);
      expect(outcome.dropped.sort()).toEqual([partitionOf(daysBefore(45)), partitionOf(daysBefore(40)), partitionOf(daysBefore(39))].sort());
      const remaining = await own.database.db.selectFrom('audit_events').select('seq').where('tenant', '=', 'default').orderBy('seq').execute();
      expect(remaining.map((row) => Number(row.seq))).toEqual([3, 5, 7]);
      const anchors = await own.database.db
        .selectFrom('audit_chain_anchors')
        .select(['from_seq', 'to_seq'])
        .where('tenant', '=', 'default')
        .orderBy('to_seq')
        .execute();
      expect(anchors.map((row) => [Number(row.from_seq), Number(row.to_seq)])).toEqual([[1, 2], [4, 4], [6, 6]]);
      // 'other' lost its only event: its chain is anchored, not broken.
      expect(await ownStore.verifier.verify({})).toEqual({ ok: true, checked: 3, first_broken: null });

      // Ingest continues the chain after retention.
      await ownStore.writer.write([prepared({ occurred_at: daysBefore(0) }), prepared({ tenant: 'other', occurred_at: daysBefore(0) })].map(pendingEventOf));
      expect(await ownStore.verifier.verify({})).toEqual({ ok: true, checked: 5, first_broken: null });
    } finally {
      await own.drop();
    }
  });
});
