import path from 'node:path';
import request from 'supertest';
import { hashApiKey } from '../../common';
import { AUDIT_KEY_OF_THE_PDP, startAuditService, type AuditService } from '../../console-e2e/test/support/audit-service';
import { sampleDecisions } from '../../console-e2e/test/support/sample-events';
import { directoryBundleSource } from '../bundles/directory-bundle-source';
import { createAuditApiClient } from '../console/audit/audit-api-client';
import { createNativeEngine } from '../engines/native-engine';
import { consolePdp } from './support/console-pdp';

const POLICIES = path.resolve(__dirname, '../../../policies');
const VIEWER = 'mcpz_scratch-viewer';
const ADMIN = 'mcpz_scratch-admin';
const KEYS = [
  { id: 'key_v', name: 'viewer', tenant: 'default', sha256: hashApiKey(VIEWER), created_at: '2026-01-01T00:00:00Z' },
  { id: 'key_a', name: 'admin', tenant: 'default', sha256: hashApiKey(ADMIN), created_at: '2026-01-01T00:00:00Z', role: 'admin' as const },
];

/** A scratch module that closes the `everything` server to everyone. */
const MAINTENANCE = {
  file: 'mcp/maintenance.rego',
  source: 'package mcp.gateway\n\ndeny_reasons contains "everything is closed for maintenance" if input.resource.server == "everything"\n',
};

const aliceEcho = {
  principal: { id: 'alice', type: 'user' },
  action: 'tools/call',
  resource: { server: 'everything', tool: 'echo' },
  context: { ip: '127.0.0.1', time: '2026-11-18T10:00:00Z' },
};

function pdp(devMode: boolean, audit?: AuditService) {
  const bundles = directoryBundleSource(POLICIES, createNativeEngine);
  const { app } = consolePdp({
    keys: KEYS,
    bundles,
    consoleSettings: { devMode },
    ...(audit ? { audit: createAuditApiClient({ url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }) } : {}),
  });
  return { app, bundles };
}

describe('scratch policies in the playground', () => {
  let audit: AuditService;
  beforeAll(async () => {
    audit = await startAuditService();
    await audit.record(sampleDecisions(9));
  });
  afterAll(() => audit.close());

  it('do not exist unless development mode is on', async () => {
    const { app, bundles } = pdp(false, audit);
    const res = await request(app).get('/console/api/playground/scratch/modules').set('X-API-Key', ADMIN);
    const session = await request(app).get('/console/api/session').set('X-API-Key', ADMIN);
    await bundles.close();
    expect(res.status).toBe(404);
    expect(session.body.features.scratchPolicies).toBe(false);
  });

  it('are for admins only', async () => {
    const { app, bundles } = pdp(true, audit);
    const res = await request(app).post('/console/api/playground/scratch/compare').set('X-API-Key', VIEWER).send({ entrypoint: 'mcp/gateway/decision', input: aliceEcho, modules: [] });
    await bundles.close();
    expect(res.status).toBe(403);
  });

  it('start from the active bundle’s Rego files', async () => {
    const { app, bundles } = pdp(true, audit);
    const res = await request(app).get('/console/api/playground/scratch/modules').set('X-API-Key', ADMIN);
    await bundles.close();
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe('mcp-authz-example-1');
    expect(res.body.modules.map((module: { file: string }) => module.file)).toContain('mcp/gateway.rego');
  });

  it('decide the input on both bundles and replay the last audited decisions, showing which change', async () => {
    const { app, bundles } = pdp(true, audit);
    const res = await request(app)
      .post('/console/api/playground/scratch/compare')
      .set('X-API-Key', ADMIN)
      .send({ entrypoint: 'mcp/gateway/decision', input: aliceEcho, modules: [MAINTENANCE], recent: 50 });
    await bundles.close();
    expect(res.status).toBe(200);
    expect(res.body.active.decision.allow).toBe(true);
    expect(res.body.scratch.decision).toMatchObject({ allow: false, reasons: ['everything is closed for maintenance'] });
    // The sample trail: 6 allowed echo calls (now denied) and 3 denied get-env calls (still denied).
    expect(res.body.recent).toMatchObject({ replayed: 9, changed: 6 });
    expect(res.body.recent.decisions.filter((decision: { changed: boolean }) => decision.changed).every((decision: { active: boolean; scratch: boolean }) => decision.active && !decision.scratch)).toBe(true);
  });

  it('report compile errors of the scratch copy as policy errors', async () => {
    const { app, bundles } = pdp(true, audit);
    const res = await request(app)
      .post('/console/api/playground/scratch/compare')
      .set('X-API-Key', ADMIN)
      .send({ entrypoint: 'mcp/gateway/decision', input: aliceEcho, modules: [{ file: 'mcp/broken.rego', source: 'package mcp.gateway\n\nallow if {' }] });
    await bundles.close();
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('mcp/broken.rego');
  });
});
