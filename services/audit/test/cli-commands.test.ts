import { sql } from 'kysely';
import { run as runMigrate } from '../../cli/commands/migrate';
import { run as runVerify } from '../../cli/commands/audit-verify';
import { decisionEvent } from './support/audit-events';
import { useCliWorkspace } from './support/cli-workspace';

jest.setTimeout(60_000);

describe('mcp-authz migrate and mcp-authz audit verify (embedded database)', () => {
  const cli = useCliWorkspace('audit-cli-');

  it('migrates, verifies an intact chain (exit 0) and a tampered one (exit 1)', async () => {
    expect(await runMigrate({}, {}, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain('0001_audit_events');
    expect(await runMigrate({}, {}, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain('up to date');

    const events = [decisionEvent({ tenant: 't1' }), decisionEvent({ tenant: 't1' }), decisionEvent({ tenant: 't2' })];
    await cli.store(events);

    expect(await runVerify({}, {}, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain('audit chain intact (all tenants): 3 events checked');

    await cli.withDatabase((database) =>
      database.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_events set reason = 'rewritten' where event_id = ${events[1]!.event_id}`.execute(trx);
      }),
    );

    cli.clearPrinted();
    expect(await runVerify({ tenant: 't1' }, {}, cli.cwd)).toBe(1);
    expect(cli.printed()).toContain(`tenant t1, event 2 (${events[1]!.event_id})`);
    expect(await runVerify({ tenant: 't2' }, {}, cli.cwd)).toBe(0);
  });
});
