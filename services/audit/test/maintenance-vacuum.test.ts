import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { createAuditStore } from '../audit-store';
import { startMaintenanceLoop } from '../maintenance/maintenance-loop';
import { autovacuumRuns } from '../maintenance/queue-vacuum';
import { ENGINES, useTestDatabase } from './support/test-database';

jest.setTimeout(60_000);

describe.each(ENGINES)('maintenance: the delivery queue is vacuumed when nothing else does it (%s)', (engine) => {
  const testDb = useTestDatabase(engine);

  async function lastVacuum(): Promise<unknown> {
    const { rows } = await sql<{ last_vacuum: unknown }>`
      select last_vacuum from pg_stat_user_tables where relname = 'audit_deliveries' and schemaname = current_schema()
    `.execute(testDb.database.db);
    return rows[0]?.last_vacuum ?? null;
  }

  it('vacuums audit_deliveries at each pass without autovacuum (always on the embedded database), and says so once on a server', async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const { partitions } = createAuditStore(testDb.database, []);
    const loop = startMaintenanceLoop(testDb.database, partitions, { partitionsAheadDays: 1, retentionDays: undefined, intervalMs: 3_600_000 }, logger);
    try {
      expect(await lastVacuum()).toBeNull();
      await loop.runOnce();
      await loop.runOnce();
    } finally {
      loop.stop();
    }
    const selfVacuuming = !(await autovacuumRuns(testDb.database));
    if (engine === 'pglite') expect(selfVacuuming).toBe(true);
    expect((await lastVacuum()) !== null).toBe(selfVacuuming);
    const warnings = lines.filter((line) => line.level === 40 && line.msg.includes('autovacuum is off'));
    expect(warnings).toHaveLength(selfVacuuming && engine === 'postgres' ? 1 : 0);
    expect(lines.filter((line) => line.level >= 40 && !line.msg.includes('autovacuum'))).toEqual([]);
  });
});
