import { list, redrive } from '../../cli/commands/dead-letters';
import { createDeliveryQueue } from '../siem/delivery-queue';
import { decisionEvent } from './support/audit-events';
import { useCliWorkspace } from './support/cli-workspace';

jest.setTimeout(60_000);

describe('mcp-authz dead-letters (embedded database)', () => {
  const cli = useCliWorkspace('siem-cli-');
  const env = { AUDIT_SINKS: JSON.stringify([{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/x', secret: '0123456789abcdef0123' }]) };

  it('lists dead letters and queues them again', async () => {
    const event = decisionEvent();
    await cli.store([event], ['hook']);
    await cli.withDatabase(async (database) => {
      const queue = createDeliveryQueue(database);
      const [claimed] = await queue.claim('hook', 10, 60_000);
      await queue.deadLetter([{ id: claimed!.id, error: 'refused by the sink: HTTP 400' }]);
    });

    expect(await list({ limit: 10, all: false, json: true }, env, cli.cwd)).toBe(0);
    expect(JSON.parse(cli.printed())).toEqual([expect.objectContaining({ event_id: event.event_id, sink: 'hook', attempts: 1, last_error: 'refused by the sink: HTTP 400' })]);

    cli.clearPrinted();
    expect(await redrive({ sink: 'other' }, env, cli.cwd)).toBe(2);
    expect(cli.printedErrors()).toContain('no configured sink other (AUDIT_SINKS has: hook)');
    expect(await redrive({ eventIds: ['not-a-uuid'] }, env, cli.cwd)).toBe(2);
    expect(cli.printedErrors()).toContain('--event-id not-a-uuid is not a UUID');
    expect(await redrive({ eventIds: [event.event_id.toUpperCase()] }, env, cli.cwd)).toBe(0);
    expect(cli.printed()).toContain('1 dead letter(s) queued again');

    cli.clearPrinted();
    expect(await list({ limit: 10, all: false, json: false }, env, cli.cwd)).toBe(0);
    expect(cli.printed()).toBe('no dead letters\n');

    const rows = await cli.withDatabase((database) => database.db.selectFrom('audit_deliveries').select(['status', 'attempts']).where('event_id', '=', event.event_id).execute());
    expect(rows).toEqual([{ status: 'pending', attempts: 0 }]);
  });
});
