import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run as runRetention } from '../../cli/commands/audit-retention';
import { run as runVerify } from '../../cli/commands/audit-verify';
import { UsageError } from '../../cli/usage-error';
import { auditEventSchema } from '../../common/contracts/audit-event';
import { createAuditStore } from '../audit-store';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { openMigratedDatabase } from '../open-store';
import { decisionEvent } from './support/audit-events';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;

describe('mcp-authz audit retention (embedded database)', () => {
  let cwd: string;
  let output: string[];
  let writeSpy: jest.SpyInstance;

  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-retention-'));
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

  const dataDir = () => path.join(cwd, '.data');
  const dayName = (time: Date) => `audit_events_${time.toISOString().slice(0, 10).replace(/-/g, '')}`;

  it('refuses to run without a period (usage error), drops only expired days once, and the chain still verifies', async () => {
    await expect(runRetention({}, {}, cwd)).rejects.toThrow(UsageError);

    const old = new Date(Date.now() - 40 * DAY_MS);
    const recent = new Date(Date.now() - 2 * DAY_MS);
    const events = [old, new Date(old.getTime() + 1000), recent].map((time) => decisionEvent({ tenant: 'kept', occurred_at: time.toISOString() }));
    const { database } = await openMigratedDatabase({ databaseUrl: undefined, dataDir: dataDir() });
    await createAuditStore(database).writer.write(events.map((event, index) => prepareEvent(auditEventSchema.parse(event), createRedactor(), index)));
    await database.close();

    expect(await runRetention({ days: 30 }, {}, cwd)).toBe(0);
    expect(output.join('')).toContain(`retention (30 days) dropped 1 partition(s):\n  ${dayName(old)}\n`);

    output = [];
    // AUDIT_RETENTION_DAYS is the default; the recent day is younger than it, so nothing more goes.
    expect(await runRetention({}, { AUDIT_RETENTION_DAYS: '30' }, cwd)).toBe(0);
    expect(output.join('')).toContain('retention (30 days): nothing to drop');

    const check = await openMigratedDatabase({ databaseUrl: undefined, dataDir: dataDir() });
    const left = await check.database.db.selectFrom('audit_events').select('event_id').execute();
    await check.database.close();
    expect(left.map((row) => row.event_id)).toEqual([events[2]!.event_id]);

    output = [];
    expect(await runVerify({ tenant: 'kept' }, {}, cwd)).toBe(0);
    expect(output.join('')).toContain('audit chain intact (tenant kept): 1 events checked');
  });
});
