import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnTs, type SpawnedTs } from '../../common/test/support/child-process';
import { alertQueries, dashboardQueries } from './support/dashboard-queries';
import { repoPath } from './support/ops-files';
import { exportedMetricFamilies, metricFamilyOf, metricNamesIn } from './support/promql-metrics';

// Series Prometheus makes itself for every scrape target.
const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

interface Started {
  process: SpawnedTs;
  url: string;
}

async function serve(service: 'pdp' | 'proxy' | 'audit', env: Record<string, string>, cwd: string): Promise<Started> {
  const child = spawnTs('services/cli/main.ts', ['serve', service], { env: { LOG_LEVEL: 'info', ...env }, cwd });
  const line = await child.waitForLine((_line, json) => json?.msg === 'listening' && json.service === service);
  return { process: child, url: (JSON.parse(line) as { url: string }).url };
}

/**
 * Starts the real services through the CLI (as the container does), so every metric any dashboard or
 * alert reads must appear in one of their /metrics expositions.
 */
describe('dashboards and alerts read only metrics the services export', () => {
  let cwd: string;
  const running: Started[] = [];
  const exported = new Set<string>();

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-ops-metrics-'));
    fs.writeFileSync(path.join(cwd, 'mcp-servers.json'), JSON.stringify({ mcpServers: {} }));
    // One sink, so the SIEM forwarder runs (its receiver is not needed: nothing has to be delivered).
    const sinks = JSON.stringify([{ type: 'splunk_hec', name: 'siem', url: 'http://127.0.0.1:9', token: 'test-token' }]);
    const audit = await serve('audit', { AUDIT_PORT: '0', AUDIT_SINKS: sinks }, cwd);
    running.push(audit);
    const pdp = await serve('pdp', { PDP_PORT: '0', PDP_WORKERS: '1', PDP_BUNDLE: repoPath('policies'), AUDIT_URL: audit.url }, cwd);
    running.push(pdp);
    const proxy = await serve('proxy', { PROXY_PORT: '0', PDP_URL: pdp.url, AUDIT_URL: audit.url, PROXY_CONFIG: path.join(cwd, 'mcp-servers.json') }, cwd);
    running.push(proxy);
    for (const { url } of running) {
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      for (const name of exportedMetricFamilies(await response.text())) exported.add(name);
    }
  }, 120_000);

  afterAll(async () => {
    for (const { process } of running.reverse()) {
      process.child.kill('SIGTERM');
      await process.exited;
    }
    fs.rmSync(cwd, { recursive: true, force: true });
  }, 60_000);

  it('the services export the metric families the panels are built on', () => {
    for (const family of ['pdp_decisions_total', 'pdp_bundle_failures_total', 'proxy_mcp_requests_total', 'audit_events_ingested_total', 'audit_siem_lag_seconds', 'audit_client_spool_events', 'http_requests_total']) {
      expect(exported).toContain(family);
    }
  });

  it.each([
    ['dashboard', dashboardQueries],
    ['alert', alertQueries],
  ])('every %s query names exported metrics', (_kind, queries) => {
    const found = queries();
    expect(found.length).toBeGreaterThan(0);
    const missing = found.flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !PROMETHEUS_SERIES.has(name) && !exported.has(metricFamilyOf(name, exported)))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
