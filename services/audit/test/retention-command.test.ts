import { run as runRetention } from '../../cli/commands/audit-retention';
import { run as runVerify } from '../../cli/commands/audit-verify';
import { UsageError } from '../../cli/usage-error';
import { decisionEvent } from './support/audit-events';
import { useCliWorkspace } from './support/cli-workspace';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;

describe('mcp-authz audit retention (embedded database)', () => {
  const cli = useCliWorkspace('audit-retention-');

  const dayName = (time: Date) => `audit_events_${time.toISOString().slice(0, 10).replace(/-/g, '')}`;

  it('refuses to run without a period (usage error), drops only expired days once, and the chain still verifies', async () => {
    await expect(runRetention({}, {}, cli.cwd)).rejects.toThrow(UsageError);

    const old = new Date(Date.now() - 40 * DAY_MS);
    const recent = new Date(Date.now() - 2 * DAY_MS);
    const events = [old, new Date(old.getTime() + 1000), recent].map((time) => decisionEvent({ tenant: 'kept', occurred_at: time.toISOString() }));
    await cli.store(events);

    expect(await runRetention({ days: 30 }, {}, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain(`retention (30 days) dropped 1 partition(s):\n  ${dayName(old)}\n`);

    cli.clearPrinted();
    // AUDIT_RETENTION_DAYS is the default; the recent day is younger than it, so nothing more goes.
    expect(await runRetention({}, { AUDIT_RETENTION_DAYS: '30' }, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain('retention (30 days): nothing to drop');

    const left = await cli.withDatabase((database) => database.db.selectFrom('audit_events').select('event_id').execute());
    expect(left.map((row) => row.event_id)).toEqual([events[2]!.event_id]);

    cli.clearPrinted();
    expect(await runVerify({ tenant: 'kept' }, {}, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain('audit chain intact (tenant kept): 1 events checked');
  });
});
