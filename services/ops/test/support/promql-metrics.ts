// PromQL words that are not metric names: operators, modifiers, aggregation clauses.
const KEYWORDS = new Set([
  'and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are neither function calls, keywords,
 * label names (inside `{…}` or grouping clauses) nor parts of strings and durations.
 */
export function metricNamesIn(expression: string): string[] {
  const withoutNoise = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of withoutNoise.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    const [whole, call] = match;
    const name = whole.replace(/\s*\($/, '');
    if (call !== undefined || KEYWORDS.has(name) || /^\d/.test(name)) continue;
    const before = withoutNoise[match.index - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue; // the exponent or unit of a number, e.g. 1e-9
    names.add(name);
  }
  return [...names].sort();
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
