import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { hashApiKey } from '../../common';
import { directoryBundleSource } from '../bundles/directory-bundle-source';
import { staticBundleSource, type BundleSource } from '../bundles/bundle-source';
import type { ConsoleSettings } from '../console/console-settings';
import { createNativeEngine } from '../engines/native-engine';
import { consolePdp } from './support/console-pdp';

const ROOT = path.resolve(__dirname, '../../..');
const POLICIES = path.join(ROOT, 'policies');
const VIEWER_KEY = 'mcpz_console-viewer-key';
const ADMIN_KEY = 'mcpz_console-admin-key';

const KEYS = [
  { id: 'key_viewer', name: 'security-viewer', tenant: 'acme', sha256: hashApiKey(VIEWER_KEY), created_at: '2026-01-01T00:00:00Z' },
  { id: 'key_admin', name: 'security-admin', tenant: 'acme', sha256: hashApiKey(ADMIN_KEY), created_at: '2026-01-01T00:00:00Z', role: 'admin' as const },
];

/** The console on the repository's policies, unless another bundle is given. */
function policiesPdp(options: { settings?: Partial<ConsoleSettings>; withApiKeys?: boolean; bundle?: BundleSource } = {}) {
  const bundles = options.bundle ?? directoryBundleSource(POLICIES, createNativeEngine);
  const pdp = consolePdp({ keys: KEYS, bundles, authenticate: options.withApiKeys === false ? null : undefined, consoleSettings: options.settings });
  return { ...pdp, bundles };
}

const developerCall = {
  principal: { id: 'alice', type: 'user' },
  action: 'tools/call',
  resource: { server: 'everything', tool: 'echo' },
  parameters: { message: 'hi', api_key: 'k-123' },
  context: { ip: '127.0.0.1', time: '2026-11-18T10:00:00Z' },
};

describe('the console API', () => {
  const { app, recorded, bundles } = policiesPdp();
  afterAll(() => bundles.close());

  it('needs the same API key as the decision APIs', async () => {
    const res = await request(app).get('/console/api/session');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('tells the caller its role from the key record, viewer by default, and never echoes the key', async () => {
    const viewer = await request(app).get('/console/api/session').set('Authorization', `Bearer ${VIEWER_KEY}`);
    expect(viewer.body).toMatchObject({ role: 'viewer', authenticated: true, key: { id: 'key_viewer', name: 'security-viewer', tenant: 'acme' } });
    const admin = await request(app).get('/console/api/session').set('X-API-Key', ADMIN_KEY);
    expect(admin.body.role).toBe('admin');
    expect(JSON.stringify(viewer.body) + JSON.stringify(admin.body)).not.toMatch(/mcpz_|sha256|[0-9a-f]{64}/);
  });

  it('offers examples for both entrypoints that the repository policies decide', async () => {
    const res = await request(app).get('/console/api/playground/examples').set('X-API-Key', VIEWER_KEY);
    expect(res.body.entrypoints).toEqual(['mcp/gateway/decision', 'mcp/a2a/decision']);
    const entrypoints = new Set(res.body.examples.map((example: { entrypoint: string }) => example.entrypoint));
    expect(entrypoints).toEqual(new Set(['mcp/gateway/decision', 'mcp/a2a/decision']));
    const outcomes = new Set<boolean>();
    for (const example of res.body.examples) {
      const evaluated = await request(app).post('/console/api/playground/evaluate').set('X-API-Key', VIEWER_KEY).send(example);
      expect(evaluated.body.outcome).toBe('defined');
      outcomes.add(evaluated.body.decision.allow);
    }
    expect(outcomes).toEqual(new Set([true, false]));
  });

  it('evaluates an input with the decision, filtered parameters, cache TTL, explanation and time', async () => {
    const res = await request(app)
      .post('/console/api/playground/evaluate')
      .set('X-API-Key', VIEWER_KEY)
      .send({ entrypoint: 'mcp/gateway/decision', input: developerCall });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ entrypoint: 'mcp/gateway/decision', revision: 'mcp-authz-example-1', engine: 'native', outcome: 'defined' });
    expect(res.body.decision).toMatchObject({ allow: true, cache_ttl: 1800 });
    expect(res.body.decision.filtered_parameters).toHaveProperty('message', 'hi');
    expect(JSON.stringify(res.body.decision.filtered_parameters)).not.toContain('k-123');
    expect(res.body.explanation).toContainEqual(expect.objectContaining({ rule: 'data.mcp.gateway.allow', location: expect.stringMatching(/gateway\.rego:\d+$/) }));
    expect(res.body.duration_ms).toBeGreaterThan(0);
  });

  it('reads a denial fail-closed with its reasons', async () => {
    const res = await request(app)
      .post('/console/api/playground/evaluate')
      .set('X-API-Key', VIEWER_KEY)
      .send({ entrypoint: 'mcp/gateway/decision', input: { ...developerCall, principal: { id: 'bob', type: 'user' }, resource: { server: 'everything', tool: 'get-env' } } });
    expect(res.body.decision.allow).toBe(false);
    expect(res.body.decision.cache_ttl).toBe(0);
    expect(res.body.decision.reasons.length).toBeGreaterThan(0);
  });

  it('writes nothing to the audit trail: trying an input is not a decision', async () => {
    const before = recorded.length;
    await request(app).post('/console/api/playground/evaluate').set('X-API-Key', VIEWER_KEY).send({ entrypoint: 'mcp/a2a/decision', input: {} });
    expect(recorded.length).toBe(before);
  });

  it('refuses an unknown entrypoint with a field error', async () => {
    const res = await request(app).post('/console/api/playground/evaluate').set('X-API-Key', VIEWER_KEY).send({ entrypoint: 'system/log/mask', input: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('entrypoint');
  });

  it('runs the policy tests against the bundle with coverage per file', async () => {
    const res = await request(app).post('/console/api/policy-tests/run').set('X-API-Key', VIEWER_KEY);
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe('mcp-authz-example-1');
    expect(res.body.summary.total).toBeGreaterThan(10);
    expect(res.body.summary.fail + res.body.summary.error).toBe(0);
    expect(res.body.tests[0]).toMatchObject({ name: expect.stringMatching(/^data\..+\.test_/), outcome: 'pass', file: expect.stringMatching(/^opa-tests\/.+_test\.rego$/) });
    const files = res.body.coverage.files.map((file: { file: string }) => file.file);
    expect(files).toContain('policies/mcp/gateway.rego');
    expect(res.body.coverage.percent).toBeGreaterThan(50);
  });
});

describe('policy tests that cannot run', () => {
  it('report failing tests as failures, not as an error of the page', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-tests-'));
    fs.writeFileSync(path.join(dir, 'broken_test.rego'), 'package broken_test\n\ntest_wrong if {\n\tdata.mcp.gateway.decision.allow with input as {}\n}\n');
    const { app, bundles } = policiesPdp({ settings: { testsDir: dir } });
    const res = await request(app).post('/console/api/policy-tests/run').set('X-API-Key', VIEWER_KEY);
    await bundles.close();
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ total: 1, fail: 1, pass: 0 });
    expect(res.body.tests[0]).toMatchObject({ name: 'data.broken_test.test_wrong', outcome: 'fail', message: 'undefined' });
  });

  it('answer 409 when the bundle is fetched over HTTP (no local sources)', async () => {
    const bundle = staticBundleSource(null, 'https://bundles.example/policy.tar.gz');
    const { app } = policiesPdp({ bundle });
    const res = await request(app).post('/console/api/policy-tests/run').set('X-API-Key', VIEWER_KEY);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('tests_unavailable');
  });

  it('answer 503 in the playground when no bundle is active', async () => {
    const { app } = policiesPdp({ bundle: staticBundleSource(null, 'missing') });
    const res = await request(app).post('/console/api/playground/evaluate').set('X-API-Key', VIEWER_KEY).send({ entrypoint: 'mcp/gateway/decision', input: {} });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('no_bundle');
  });
});

describe('the console pages', () => {
  it('are served without a key, with a strict content security policy, from the built assets', async () => {
    const assets = fs.mkdtempSync(path.join(os.tmpdir(), 'console-assets-'));
    fs.mkdirSync(path.join(assets, 'assets'));
    fs.writeFileSync(path.join(assets, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(assets, 'assets', 'index-abc123.js'), 'console.log(1)');
    const { app, bundles } = policiesPdp({ settings: { assetsDir: assets } });
    const redirect = await request(app).get('/console');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/console/');
    const page = await request(app).get('/console/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>console</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = await request(app).get('/console/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toContain('immutable');
    const missing = await request(app).get('/console/assets/nope.js');
    expect(missing.status).toBe(404);
    await bundles.close();
  });

  it('say how to build the console when it was not built', async () => {
    const { app, bundles } = policiesPdp();
    const res = await request(app).get('/console/');
    await bundles.close();
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build');
  });

  it('grant admin to every caller when the PDP runs without keys (loopback)', async () => {
    const { app, bundles } = policiesPdp({ withApiKeys: false });
    const res = await request(app).get('/console/api/session');
    await bundles.close();
    expect(res.body).toMatchObject({ role: 'admin', authenticated: false, key: null });
  });
});
