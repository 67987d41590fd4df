import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { decisionEvent } from './support/audit-events';
import { startChildService, type ChildService } from './support/child-service';
import { ENGINES } from './support/test-database';

jest.setTimeout(120_000);

/** The database a child service uses: PGlite under its working directory, or a fresh schema on the server. */
async function databaseEnv(engine: string, schema: string): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (engine !== 'postgres' || !url) return {};
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  const separator = url.includes('?') ? '&' : '?';
  return { DATABASE_URL: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}` };
}

async function dropSchema(engine: string, schema: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (engine !== 'postgres' || !url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

describe.each(ENGINES)('acknowledged events survive kill -9 of the audit service (%s)', (engine) => {
  const schema = `audit_kill_${process.pid}_${randomBytes(3).toString('hex')}`;
  let workDir: string;
  let service: ChildService | undefined;

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-kill-'));
  });
  afterAll(async () => {
    service?.process.kill('SIGKILL');
    fs.rmSync(workDir, { recursive: true, force: true });
    await dropSchema(engine, schema);
  });

  it('finds every 202-acknowledged event after a restart, with the chain intact', async () => {
    const env = await databaseEnv(engine, schema);
    // Batches prepared in a worker thread, as on machines with more than two cores; the restart prepares on the event loop.
    service = await startChildService(workDir, { ...env, AUDIT_INGEST_WORKERS: '1' });
    const tenant = 'kill-nine';
    const acknowledged: string[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      const events = Array.from({ length: 200 }, () => decisionEvent({ tenant }));
      const response = await fetch(`${service.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      expect(response.status).toBe(202);
      acknowledged.push(...events.map((event) => event.event_id));
    }
    service.process.kill('SIGKILL');
    expect(await service.exited).toBeNull();

    service = await startChildService(workDir, env);
    const exported = await fetch(`${service.url}/v1/events/export?tenant=${tenant}`);
    expect(exported.status).toBe(200);
    const stored = (await exported.text())
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event_id: string }).event_id);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
    expect(stored).toHaveLength(acknowledged.length);
    const verify = await fetch(`${service.url}/v1/verify?tenant=${tenant}`);
    expect(await verify.json()).toEqual({ ok: true, checked: 1000, first_broken: null });
  });
});
