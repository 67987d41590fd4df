import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { run as runMigrate } from '../../cli/commands/migrate';
import { run as runVerify } from '../../cli/commands/audit-verify';
import { auditEventSchema } from '../../common/contracts/audit-event';
import { createAuditStore } from '../audit-store';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { openMigratedDatabase } from '../open-store';
import { decisionEvent } from './support/audit-events';

jest.setTimeout(60_000);

describe('mcp-authz migrate and mcp-authz audit verify (embedded database)', () => {
  let cwd: string;
  let output: string[];
  let writeSpy: jest.SpyInstance;

  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
  });
  afterAll(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(() => {
    output = [];
    writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  });
  afterEach(() => writeSpy.mockRestore());

  it('migrates, verifies an intact chain (exit 0) and a tampered one (exit 1)', async () => {
    expect(await runMigrate({}, {}, cwd)).toBe(0);
    expect(output.join('')).toContain('0001_audit_events');
    expect(await runMigrate({}, {}, cwd)).toBe(0);
    expect(output.join('')).toContain('up to date');

    const { database } = await openMigratedDatabase({ databaseUrl: undefined, dataDir: path.join(cwd, '.data') });
    const events = [decisionEvent({ tenant: 't1' }), decisionEvent({ tenant: 't1' }), decisionEvent({ tenant: 't2' })];
    await createAuditStore(database).writer.write(events.map((event, index) => prepareEvent(auditEventSchema.parse(event), createRedactor(), index)));
    await database.close();

    expect(await runVerify({}, {}, cwd)).toBe(0);
    expect(output.join('')).toContain('audit chain intact (all tenants): 3 events checked');

    const tampering = await openMigratedDatabase({ databaseUrl: undefined, dataDir: path.join(cwd, '.data') });
    await tampering.database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update audit_events set reason = 'rewritten' where event_id = ${events[1]!.event_id}`.execute(trx);
    });
    await tampering.database.close();

    output = [];
    expect(await runVerify({ tenant: 't1' }, {}, cwd)).toBe(1);
    expect(output.join('')).toContain(`tenant t1, event 2 (${events[1]!.event_id})`);
    expect(await runVerify({ tenant: 't2' }, {}, cwd)).toBe(0);
  });
});
