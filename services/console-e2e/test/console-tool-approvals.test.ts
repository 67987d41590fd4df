import fs from 'node:fs';
import request from 'supertest';
import { hashApiKey } from '../../common';
import { createAuditApiClient } from '../../pdp/console/audit/audit-api-client';
import type { ConsoleOptions } from '../../pdp/console/console-api';
import { proxyToolApprovals } from '../../pdp/console/tools/proxy-tool-approvals';
import { consolePdp } from '../../pdp/test/support/console-pdp';
import { AUDIT_KEY_OF_THE_PDP, startAuditService, type AuditService } from './support/audit-service';
import { ECHO_V1, ECHO_V2, SUM_V1, writeChangedPins } from './support/pins-file';
import { PROXY_KEY_OF_THE_PDP, PROXY_VIEWER_KEY, startProxyService, type ProxyService } from './support/proxy-service';

const VIEWER = 'mcpz_tools-viewer';
const ADMIN = 'mcpz_tools-admin';
const KEYS = [
  { id: 'key_v', name: 'viewer', tenant: 'default', sha256: hashApiKey(VIEWER), created_at: '2026-01-01T00:00:00Z' },
  { id: 'key_a', name: 'admin', tenant: 'default', sha256: hashApiKey(ADMIN), created_at: '2026-01-01T00:00:00Z', role: 'admin' as const },
];

function pdpWith(console: Omit<ConsoleOptions, 'settings'>) {
  return consolePdp({ keys: KEYS, ...console }).app;
}

const decision = (observedHash: string, tool = 'echo') => ({ server: 'everything', tool, observed_hash: observedHash });

describe('the Tools page API, over the proxy’s tool pins API', () => {
  let pinsFile: string;
  let proxy: ProxyService;
  let app: ReturnType<typeof pdpWith>;
  beforeEach(async () => {
    pinsFile = writeChangedPins();
    proxy = await startProxyService(pinsFile);
    app = pdpWith({ tools: proxyToolApprovals({ url: proxy.url, apiKey: PROXY_KEY_OF_THE_PDP }) });
  });
  afterEach(() => proxy.close());

  const pinsOnDisk = () => JSON.parse(fs.readFileSync(pinsFile, 'utf8')).servers.everything;

  it('lists pinned tools with their hashes and which definitions changed', async () => {
    const res = await request(app).get('/console/api/tools').set('X-API-Key', VIEWER);
    expect(res.status).toBe(200);
    expect(res.body.source).toBe(proxy.url);
    expect(res.body.tools).toEqual([
      expect.objectContaining({ server: 'everything', tool: 'echo', approved_hash: ECHO_V1, observed_hash: ECHO_V2, status: 'changed' }),
      expect.objectContaining({ server: 'everything', tool: 'get-sum', approved_hash: SUM_V1, observed_hash: SUM_V1, status: 'approved' }),
    ]);
  });

  it('lets an admin approve a changed definition: the proxy adopts it and keeps it in its pins', async () => {
    const res = await request(app).post('/console/api/tools/approve').set('X-API-Key', ADMIN).send(decision(ECHO_V2));
    expect(res.status).toBe(200);
    expect(res.body.tool).toMatchObject({ status: 'approved', approved_hash: ECHO_V2 });
    expect(pinsOnDisk().echo).toMatchObject({ approved: ECHO_V2, observed: ECHO_V2 });
    expect(pinsOnDisk()['get-sum'].approved).toBe(SUM_V1);
  });

  it('keeps a rejected change hidden and out of the review queue, naming who rejected it', async () => {
    const res = await request(app).post('/console/api/tools/reject').set('X-API-Key', ADMIN).send(decision(ECHO_V2));
    expect(res.body.tool).toMatchObject({ status: 'rejected', approved_hash: ECHO_V1 });
    expect(pinsOnDisk().echo).toMatchObject({ approved: ECHO_V1, rejected: { hash: ECHO_V2, by: 'admin (key_a)' } });
    const listed = await request(app).get('/console/api/tools').set('X-API-Key', VIEWER);
    expect(listed.body.tools[0]).toMatchObject({ tool: 'echo', status: 'rejected' });
  });

  it('refuses viewers, stale reviews and unknown tools', async () => {
    expect((await request(app).post('/console/api/tools/approve').set('X-API-Key', VIEWER).send(decision(ECHO_V2))).status).toBe(403);
    const stale = await request(app).post('/console/api/tools/approve').set('X-API-Key', ADMIN).send(decision(ECHO_V1));
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('changed again');
    expect((await request(app).post('/console/api/tools/approve').set('X-API-Key', ADMIN).send(decision(ECHO_V2, 'nope'))).status).toBe(404);
    expect(pinsOnDisk().echo.approved).toBe(ECHO_V1);
  });

  it('says which setting to fix when the proxy refuses the PDP’s key, without showing it', async () => {
    const viewerKey = pdpWith({ tools: proxyToolApprovals({ url: proxy.url, apiKey: PROXY_VIEWER_KEY }) });
    const res = await request(viewerKey).post('/console/api/tools/approve').set('X-API-Key', ADMIN).send(decision(ECHO_V2));
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain('PROXY_API_KEY');
    expect(JSON.stringify(res.body)).not.toContain(PROXY_VIEWER_KEY);
    const noKey = pdpWith({ tools: proxyToolApprovals({ url: proxy.url }) });
    expect((await request(noKey).get('/console/api/tools').set('X-API-Key', VIEWER)).status).toBe(502);
  });

  it('answers 502 proxy_unreachable when the proxy does not answer', async () => {
    const down = pdpWith({ tools: proxyToolApprovals({ url: 'http://127.0.0.1:9', apiKey: PROXY_KEY_OF_THE_PDP, timeoutMs: 2000 }) });
    const res = await request(down).get('/console/api/tools').set('X-API-Key', VIEWER);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'proxy_unreachable', message: expect.stringContaining('PROXY_URL') });
  });
});

describe('tool decisions in the audit trail', () => {
  let audit: AuditService;
  let proxy: ProxyService;
  beforeAll(async () => {
    audit = await startAuditService();
    proxy = await startProxyService(writeChangedPins());
  });
  afterAll(async () => {
    await proxy.close();
    await audit.close();
  });

  it('records an admin’s tool approval, naming the key but not the key itself', async () => {
    const app = pdpWith({
      audit: createAuditApiClient({ url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }),
      tools: proxyToolApprovals({ url: proxy.url, apiKey: PROXY_KEY_OF_THE_PDP }),
    });
    expect((await request(app).post('/console/api/tools/approve').set('X-API-Key', ADMIN).send(decision(ECHO_V2))).status).toBe(200);
    const trail = await request(app).get('/console/api/audit/events').query({ event_type: 'admin' }).set('X-API-Key', VIEWER);
    expect(trail.body.events).toEqual([
      expect.objectContaining({
        event_type: 'admin',
        action: 'tool.approve',
        server: 'everything',
        tool: 'echo',
        tenant: 'default',
        principal: expect.objectContaining({ id: 'key_a', type: 'api_key' }),
        payload: expect.objectContaining({ observed_hash: ECHO_V2, key_name: 'admin' }),
      }),
    ]);
    expect(JSON.stringify(trail.body)).not.toContain(ADMIN);
  });
});
