import request from 'supertest';
import { hashApiKey } from '../../common';
import { AUDIT_KEY_OF_THE_PDP, startAuditService, type AuditService } from '../../console-e2e/test/support/audit-service';
import { sampleDecisions } from '../../console-e2e/test/support/sample-events';
import { createBundleSlot, type BundleSource } from '../bundles/bundle-source';
import { createAuditApiClient } from '../console/audit/audit-api-client';
import { sinkHealthFromMetrics } from '../console/audit/siem-sink-health';
import { redactUrl } from '../console/bundles/bundle-report';
import type { ConsoleOptions } from '../console/console-api';
import { consolePdp } from './support/console-pdp';
import { activeBundle, fakeEngine } from './support/fake-engine';

const VIEWER = 'mcpz_ops-viewer';
const ADMIN = 'mcpz_ops-admin';
const OTHER_TENANT = 'mcpz_ops-other-tenant';
const KEYS = [
  { id: 'key_v', name: 'viewer', tenant: 'default', sha256: hashApiKey(VIEWER), created_at: '2026-01-01T00:00:00Z' },
  { id: 'key_a', name: 'admin', tenant: 'default', sha256: hashApiKey(ADMIN), created_at: '2026-01-01T00:00:00Z', role: 'admin' as const },
  { id: 'key_o', name: 'other', tenant: 'globex', sha256: hashApiKey(OTHER_TENANT), created_at: '2026-01-01T00:00:00Z', role: 'admin' as const },
];

function pdpWith(console: Omit<ConsoleOptions, 'settings'>, bundles?: BundleSource) {
  return consolePdp({ keys: KEYS, bundles, ...console }).app;
}

describe('the Bundles page API', () => {
  it('shows the active revision, the last check, refusals and the history, newest first', async () => {
    let clock = Date.parse('2026-11-18T10:00:00Z');
    const slot = createBundleSlot('./policies', () => new Date((clock += 1000)));
    slot.activate(activeBundle(fakeEngine(), 'rev-1'));
    slot.fail('compile: policies/mcp/gateway.rego:3: rego_parse_error: unexpected token');
    slot.checked();
    const app = pdpWith({ signature: { required: true, algorithm: 'RS256', keyId: 'release' } }, slot);
    const res = await request(app).get('/console/api/bundles').set('X-API-Key', VIEWER);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      source: './policies',
      source_kind: 'directory or file',
      active: { revision: 'rev-1', engine: 'native', entrypoints: ['mcp/gateway/decision', 'mcp/a2a/decision'] },
      last_check_at: '2026-11-18T10:00:03.000Z',
      last_error: { message: expect.stringContaining('rego_parse_error'), at: '2026-11-18T10:00:02.000Z' },
      signature: { required: true, algorithm: 'RS256', keyId: 'release', status: 'verified' },
    });
    expect(res.body.history.map((entry: { kind: string }) => entry.kind)).toEqual(['failed', 'activated']);
  });

  it('never shows credentials of a bundle URL', () => {
    expect(redactUrl('https://deploy:s3cret@bundles.example/b.tar.gz?token=abc&v=2')).toBe('https://bundles.example/b.tar.gz?token=REDACTED&v=2');
    expect(redactUrl('./policies')).toBe('./policies');
  });
});

describe('the audit explorer API, against the real audit service', () => {
  let audit: AuditService;
  let app: ReturnType<typeof pdpWith>;
  const events = sampleDecisions(12);

  beforeAll(async () => {
    audit = await startAuditService();
    await audit.record([...events, ...sampleDecisions(3, 'globex')]);
    app = pdpWith({ audit: createAuditApiClient({ url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }) });
  });
  afterAll(() => audit.close());

  it('filters and pages with the audit API cursor', async () => {
    const first = await request(app).get('/console/api/audit/events').query({ decision: 'deny', limit: '2' }).set('X-API-Key', VIEWER);
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(2);
    expect(first.body.events.every((event: { decision: string }) => event.decision === 'deny')).toBe(true);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await request(app).get('/console/api/audit/events').query({ decision: 'deny', limit: '2', cursor: first.body.next_cursor }).set('X-API-Key', VIEWER);
    expect(second.body.events).toHaveLength(2);
    const ids = [...first.body.events, ...second.body.events].map((event: { event_id: string }) => event.event_id);
    expect(new Set(ids).size).toBe(4);
    expect(second.body.next_cursor).toBeNull();
  });

  it("shows a key only its own tenant's events, whatever tenant it asks for", async () => {
    const own = await request(app).get('/console/api/audit/events').query({ tenant: 'globex', limit: '100' }).set('X-API-Key', VIEWER);
    expect(own.body.events).toHaveLength(12);
    expect(own.body.events.every((event: { tenant: string }) => event.tenant === 'default')).toBe(true);
    const other = await request(app).get('/console/api/audit/events').set('X-API-Key', OTHER_TENANT);
    expect(other.body.events).toHaveLength(3);
    const foreign = await request(app).get(`/console/api/audit/events/${events[0].event_id}`).set('X-API-Key', OTHER_TENANT);
    expect(foreign.status).toBe(404);
  });

  it('shows one event with its payload', async () => {
    const res = await request(app).get(`/console/api/audit/events/${events[4].event_id}`).set('X-API-Key', VIEWER);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ event_id: events[4].event_id, payload: { input: { action: 'tools/call' } } });
  });

  it('verifies the hash chain of the caller’s tenant', async () => {
    const res = await request(app).get('/console/api/audit/verify').set('X-API-Key', VIEWER);
    expect(res.body).toMatchObject({ ok: true, checked: 12, first_broken: null });
  });

  it('exports the filtered events as NDJSON', async () => {
    const res = await request(app).get('/console/api/audit/export').query({ format: 'ndjson', decision: 'allow' }).set('X-API-Key', VIEWER);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('ndjson');
    const lines = res.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(8);
    expect(lines.every((event) => event.decision === 'allow' && event.tenant === 'default')).toBe(true);
  });

  it('exports the filtered events as CSV, a header row then one row per event', async () => {
    const res = await request(app).get('/console/api/audit/export').query({ format: 'csv', decision: 'deny' }).set('X-API-Key', VIEWER);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = res.text.trim().split('\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['event_id', 'tenant', 'decision', 'principal_id']));
    expect(rows).toHaveLength(4);
    const decision = header!.split(',').indexOf('decision');
    expect(rows.map((row) => row.split(',')[decision])).toEqual(['deny', 'deny', 'deny', 'deny']);
  });

  it('passes the audit service’s validation errors on', async () => {
    const res = await request(app).get('/console/api/audit/events').query({ decision: 'maybe' }).set('X-API-Key', VIEWER);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('decision');
  });

  it('reports SIEM sinks as none when the audit service forwards nowhere', async () => {
    const res = await request(app).get('/console/api/audit/sinks').set('X-API-Key', VIEWER);
    expect(res.status).toBe(200);
    expect(res.body.sinks).toEqual([]);
  });

  it('lets only admins re-drive dead letters', async () => {
    const res = await request(app).post('/console/api/audit/dead-letters/redrive').set('X-API-Key', VIEWER).send({});
    expect(res.status).toBe(403);
  });

  it('says so when the PDP’s audit key is refused, without showing it', async () => {
    const misconfigured = pdpWith({ audit: createAuditApiClient({ url: audit.url, apiKey: 'mcpz_wrong' }) });
    const res = await request(misconfigured).get('/console/api/audit/events').set('X-API-Key', VIEWER);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain('AUDIT_API_KEY');
    expect(JSON.stringify(res.body)).not.toContain('mcpz_wrong');
  });

  it('answers 502 when the audit service is down', async () => {
    const down = pdpWith({ audit: createAuditApiClient({ url: 'http://127.0.0.1:9', apiKey: AUDIT_KEY_OF_THE_PDP, timeoutMs: 2000 }) });
    const res = await request(down).get('/console/api/audit/events').set('X-API-Key', VIEWER);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('audit_unavailable');
  });
});

describe('SIEM sink health from the audit service metrics', () => {
  it('reads lag, breaker state, open dead letters and deliveries per sink', () => {
    const text = [
      '# HELP audit_siem_lag_seconds Age of the oldest stored event not yet delivered',
      'audit_siem_lag_seconds{sink="splunk",service="audit"} 12.5',
      'audit_siem_lag_seconds{sink="elastic",service="audit"} 0',
      'audit_siem_breaker_state{sink="splunk",service="audit"} 2',
      'audit_siem_breaker_state{sink="elastic",service="audit"} 0',
      'audit_siem_dead_letters{sink="splunk",service="audit"} 4',
      'audit_siem_events_delivered_total{sink="elastic",service="audit"} 1200',
      'audit_events_ingested_total{service="audit"} 99',
    ].join('\n');
    expect(sinkHealthFromMetrics(text)).toEqual([
      { sink: 'elastic', lag_seconds: 0, breaker: 'closed', dead_letters: null, delivered_total: 1200 },
      { sink: 'splunk', lag_seconds: 12.5, breaker: 'open', dead_letters: 4, delivered_total: null },
    ]);
  });
});
