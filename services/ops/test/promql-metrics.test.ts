import { alertQueries, dashboardQueries } from './support/dashboard-queries';
import { exportedMetricFamilies, metricFamilyOf, metricNamesIn, parsePromql } from './support/promql-metrics';

// The metric checks below are only as good as this extraction, so it is tested on its own.
describe('PromQL in dashboards and alerts', () => {
  it('finds metrics and skips functions, labels, grouping, durations, numbers and Grafana variables', () => {
    const expression =
      'sum by (result, le) (rate(pdp_decisions_total{result=~"allow|deny", service="pdp"}[$__rate_interval] offset 1d)) / clamp_min(sum(rate(x_bucket[5m])), 1e-9) > 2 * up unless on (instance) pdp_bundle_info';
    expect(metricNamesIn(expression)).toEqual(['pdp_bundle_info', 'pdp_decisions_total', 'up', 'x_bucket']);
  });

  it('reports syntax errors', () => {
    expect(parsePromql('sum(rate(x[5m])').syntaxErrors).not.toEqual([]);
    expect(parsePromql('sum by (le) (rate(x_bucket[$__rate_interval]))').syntaxErrors).toEqual([]);
  });

  it('every dashboard and alert query is valid PromQL', () => {
    const queries = [...dashboardQueries(), ...alertQueries()];
    expect(queries.length).toBeGreaterThan(40);
    expect(queries.flatMap(({ where, expr }) => parsePromql(expr).syntaxErrors.map((error) => `${where}: ${error}`))).toEqual([]);
  });

  it('maps histogram series to their family only when the series itself is not exported', () => {
    const exported = new Set(['a_seconds', 'b_count']);
    expect(metricFamilyOf('a_seconds_bucket', exported)).toBe('a_seconds');
    expect(metricFamilyOf('b_count', exported)).toBe('b_count');
  });

  it('reads families from # TYPE lines', () => {
    const text = '# HELP a_total A\n# TYPE a_total counter\na_total 1\n# TYPE h_seconds histogram\nh_seconds_bucket{le="1"} 0\n';
    expect([...exportedMetricFamilies(text)]).toEqual(['a_total', 'h_seconds']);
  });
});
