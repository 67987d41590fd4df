import { exportedMetricFamilies, metricFamilyOf, metricNamesIn } from './support/promql-metrics';

// The metric checks below are only as good as this extraction, so it is tested on its own.
describe('metric names in PromQL', () => {
  it('finds metrics and skips functions, labels, grouping, durations, numbers and Grafana variables', () => {
    const expression =
      'sum by (result, le) (rate(pdp_decisions_total{result=~"allow|deny", service="pdp"}[$__rate_interval] offset 1d)) / clamp_min(sum(rate(x_bucket[5m])), 1e-9) > 2 * up unless on (instance) pdp_bundle_info';
    expect(metricNamesIn(expression)).toEqual(['pdp_bundle_info', 'pdp_decisions_total', 'up', 'x_bucket']);
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
