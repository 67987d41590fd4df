import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { list, redrive } from '../../cli/commands/dead-letters';
import { auditEventSchema } from '../../common/contracts/audit-event';
import { createAuditStore } from '../audit-store';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { openMigratedDatabase } from '../open-store';
import { createDeliveryQueue } from '../siem/delivery-queue';
import { decisionEvent } from './support/audit-events';

jest.setTimeout(60_000);

describe('mcp-authz dead-letters (embedded database)', () => {
  let cwd: string;
  let output: string[];
  let writeSpy: jest.SpyInstance;
  let errorSpy: jest.SpyInstance;
  const env = { AUDIT_SINKS: JSON.stringify([{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/x', secret: '0123456789abcdef0123' }]) };

  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-cli-'));
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));
  beforeEach(() => {
    output = [];
    writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    errorSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    writeSpy.mockRestore();
    errorSpy.mockRestore();
  });

  it('lists dead letters and queues them again', async () => {
    const event = auditEventSchema.parse(decisionEvent());
    const { database } = await openMigratedDatabase({ databaseUrl: undefined, dataDir: path.join(cwd, '.data') });
    try {
      await createAuditStore(database, ['hook']).writer.write([prepareEvent(event, createRedactor(), 0)]);
      const queue = createDeliveryQueue(database);
      const [claimed] = await queue.claim('hook', 10, 60_000);
      await queue.deadLetter([{ id: claimed!.id, error: 'refused by the sink: HTTP 400' }]);
    } finally {
      await database.close();
    }

    expect(await list({ limit: 10, all: false, json: true }, env, cwd)).toBe(0);
    expect(JSON.parse(output.join(''))).toEqual([expect.objectContaining({ event_id: event.event_id, sink: 'hook', attempts: 1, last_error: 'refused by the sink: HTTP 400' })]);

    output = [];
    expect(await redrive({ sink: 'other' }, env, cwd)).toBe(2);
    expect(await redrive({ eventIds: ['not-a-uuid'] }, env, cwd)).toBe(2);
    expect(await redrive({ eventIds: [event.event_id.toUpperCase()] }, env, cwd)).toBe(0);
    expect(output.join('')).toContain('1 dead letter(s) queued again');

    output = [];
    expect(await list({ limit: 10, all: false, json: false }, env, cwd)).toBe(0);
    expect(output.join('')).toBe('no dead letters\n');

    const reopened = await openMigratedDatabase({ databaseUrl: undefined, dataDir: path.join(cwd, '.data') });
    try {
      const rows = await reopened.database.db.selectFrom('audit_deliveries').select(['status', 'attempts']).where('event_id', '=', event.event_id).execute();
      expect(rows).toEqual([{ status: 'pending', attempts: 0 }]);
    } finally {
      await reopened.database.close();
    }
  });
});
