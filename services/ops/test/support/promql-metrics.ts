import type { LRParser } from '@lezer/lr';

// The grammar package is an ES module with a CommonJS build; its types only describe the ES side.
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

// Grafana fills these in before the query reaches Prometheus; any duration parses the same way.
const GRAFANA_INTERVALS = /\$__rate_interval|\$__interval|\$__range/g;

export interface ParsedQuery {
  /** Metric names of the vector selectors, sorted. */
  metrics: string[];
  /** Where Prometheus' own grammar fails to parse the query (empty when it is valid PromQL). */
  syntaxErrors: string[];
}

/** Parses a PromQL expression with Prometheus' Lezer grammar: its syntax errors and the metric names it selects. */
export function parsePromql(expression: string): ParsedQuery {
  const text = expression.replace(GRAFANA_INTERVALS, '5m');
  const metrics = new Set<string>();
  const syntaxErrors: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) syntaxErrors.push(`at ${node.from}: ${JSON.stringify(text.slice(Math.max(0, node.from - 20), node.from + 20))}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.add(text.slice(node.from, node.to));
    },
  });
  return { metrics: [...metrics].sort(), syntaxErrors };
}

export function metricNamesIn(expression: string): string[] {
  return parsePromql(expression).metrics;
}

const HISTOGRAM_SERIES_SUFFIXES = ['_bucket', '_sum', '_count'];

/** A histogram's series (`x_bucket`, `x_sum`, `x_count`) come from the metric `x`. */
export function metricFamilyOf(name: string, exported: ReadonlySet<string>): string {
  if (exported.has(name)) return name;
  const suffix = HISTOGRAM_SERIES_SUFFIXES.find((candidate) => name.endsWith(candidate));
  return suffix ? name.slice(0, -suffix.length) : name;
}

/** Metric families named in a Prometheus text exposition (`# TYPE name kind` lines). */
export function exportedMetricFamilies(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) \S+$/gm)) names.add(match[1]!);
  return names;
}
