import fs from 'node:fs';
import { alertRules, ALERT_FILES, DASHBOARD_FILES } from './support/dashboard-queries';
import { jsonFile, repoPath, yamlFile } from './support/ops-files';

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; refId: string }>;
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string }> };
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
      match[1]!.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-'),
    ),
  );
}

describe('Grafana dashboards', () => {
  const dashboards = DASHBOARD_FILES.map((file) => ({ file, dashboard: jsonFile<Dashboard>(file) }));

  it('one per service, each with a unique uid', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual(['mcp-authz-audit', 'mcp-authz-pdp', 'mcp-authz-proxy']);
  });

  it.each(DASHBOARD_FILES)('%s: panels query the selected Prometheus, fit the grid and have unique ids', (file) => {
    const dashboard = jsonFile<Dashboard>(file);
    expect(dashboard.templating.list).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'datasource', type: 'datasource' })]));
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type === 'row') continue;
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, '${datasource}']);
      expect([panel.title, panel.targets?.length ?? 0]).not.toEqual([panel.title, 0]);
      for (const target of panel.targets ?? []) expect(target.expr.trim()).not.toBe('');
    }
  });

  it('shows what the operations issue asks for', () => {
    const titles = dashboards.flatMap(({ dashboard }) => dashboard.panels.map((panel) => panel.title));
    for (const title of ['Decisions/s by result', 'Deny ratio', 'Decision latency (server side)', 'Decision cache hit ratio', 'Active bundle revision',
      'Requests/s by method and outcome', 'Proxy overhead (mean added time per forwarded request)', 'PDP circuit breaker', 'Upstream health',
      'Bundle age', 'Bundle failures by reason', 'Events stored/s by endpoint', 'SIEM lag by sink', 'Dead letters waiting by sink', 'Spool depth']) {
      expect(titles).toContain(title);
    }
  });

  it('provisioning loads the dashboards from where docker-compose mounts them, with the Prometheus datasource', () => {
    const provider = yamlFile<{ providers: Array<{ options: { path: string } }> }>('grafana/provisioning/dashboards/mcp-authz.yml');
    const compose = fs.readFileSync(repoPath('docker-compose.yml'), 'utf8');
    expect(compose).toContain(`./grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
    const datasources = yamlFile<{ datasources: Array<{ type: string; url: string }> }>('grafana/provisioning/datasources/prometheus.yml');
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' })]);
  });
});

describe('Prometheus alert rules', () => {
  const rules = alertRules();
  const runbooks = headingAnchors(fs.readFileSync(repoPath('docs/operations.md'), 'utf8'));

  it('parse and cover the alerts the operations issue lists', () => {
    expect(ALERT_FILES.length).toBeGreaterThan(0);
    const names = rules.map(({ rule }) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['MCPAuthzDenyRatioSpike', 'MCPAuthzDecisionLatencyHigh', 'MCPAuthzNoActiveBundle', 'MCPAuthzBundleStale', 'MCPAuthzBundleFailing',
      'MCPAuthzPdpBreakerOpen', 'MCPAuthzSiemLag', 'MCPAuthzSiemDeadLetters', 'MCPAuthzAuditSpoolGrowing', 'MCPAuthzServiceDown']) {
      expect(names).toContain(name);
    }
  });

  it.each(rules.map(({ rule }) => [rule.alert!, rule] as const))('%s has a severity, a summary, a duration and a runbook in docs/operations.md', (name, rule) => {
    expect(['warning', 'critical']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary).toBeTruthy();
    expect(rule.for).toMatch(/^\d+[smh]$/);
    const anchor = rule.annotations?.runbook_url?.split('#')[1];
    expect(anchor).toBe(name.toLowerCase());
    expect(runbooks).toContain(anchor);
  });
});
