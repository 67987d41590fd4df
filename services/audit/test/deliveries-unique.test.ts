import { sql } from 'kysely';
import { auditEventSchema } from '../../common/contracts/audit-event';
import { createAuditStore } from '../audit-store';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { migrateDown } from '../store/sql-migrations';
import { decisionEvent } from './support/audit-events';
import { ENGINES, useTestDatabase } from './support/test-database';
import { pendingEventOf } from '../ingest/pending-event';

jest.setTimeout(60_000);

describe.each(ENGINES)('audit_deliveries (event_id, sink) unique index (%s)', (engine) => {
  const testDb = useTestDatabase(engine);

  async function storedEventId(): Promise<string> {
    const event = auditEventSchema.parse(decisionEvent({ tenant: 'deliveries' }));
    await createAuditStore(testDb.database, ['webhook']).writer.write([prepareEvent(event, createRedactor(), 0)].map(pendingEventOf));
    return event.event_id;
  }

  function insertDelivery(eventId: string, status: string): Promise<unknown> {
    return sql`
      insert into audit_deliveries (event_id, sink, tenant, occurred_at, status)
      values (${eventId}, 'webhook', 'deliveries', now(), ${status})
    `.execute(testDb.database.db);
  }

  it('refuses a second live delivery row for the same event and sink', async () => {
    const eventId = await storedEventId();
    await expect(insertDelivery(eventId, 'pending')).rejects.toThrow(/audit_deliveries_event_sink|unique/i);
    await expect(insertDelivery(eventId, 'delivered')).rejects.toThrow(/audit_deliveries_event_sink|unique/i);
  });

  it('lets a dead row sit beside the fresh row a redrive queues', async () => {
    const eventId = await storedEventId();
    await sql`update audit_deliveries set status = 'dead' where event_id = ${eventId}`.execute(testDb.database.db);
    await insertDelivery(eventId, 'pending');
    const rows = await testDb.database.db.selectFrom('audit_deliveries').select('status').where('event_id', '=', eventId).orderBy('status').execute();
    expect(rows.map((row) => row.status)).toEqual(['dead', 'pending']);
  });

  it('is removed by its down migration, which allows duplicates again', async () => {
    const eventId = await storedEventId();
    expect((await migrateDown(testDb.database.db)).applied).toEqual(['0005_audit_deliveries_unique']);
    await insertDelivery(eventId, 'pending');
    const count = await testDb.database.db.selectFrom('audit_deliveries').select((eb) => eb.fn.countAll().as('n')).where('event_id', '=', eventId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });
});
