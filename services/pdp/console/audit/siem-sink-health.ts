import type { SinkHealth } from '../console-contract';

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)/;

/** Reads the per-sink samples of Prometheus text; summed over label sets other than `sink` (e.g. cluster instances). */
export function sinkHealthFromMetrics(text: string): SinkHealth[] {
  const sinks = new Map<string, SinkHealth>();
  const sinkOf = (name: string): SinkHealth => {
    let health = sinks.get(name);
    if (!health) {
      health = { sink: name, lag_seconds: null, breaker: 'unknown', dead_letters: null, delivered_total: null };
      sinks.set(name, health);
    }
    return health;
  };
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const [, metric, labels, raw] = match;
    const sink = /(?:^|,)sink="((?:[^"\\]|\\.)*)"/.exec(labels)?.[1];
    const value = Number(raw);
    if (sink === undefined || !Number.isFinite(value)) continue;
    switch (metric) {
      case 'audit_siem_lag_seconds':
        sinkOf(sink).lag_seconds = Math.max(sinkOf(sink).lag_seconds ?? 0, value);
        break;
      case 'audit_siem_breaker_state':
        sinkOf(sink).breaker = BREAKER_STATES[value] ?? 'unknown';
        break;
      case 'audit_siem_dead_letters':
        sinkOf(sink).dead_letters = (sinkOf(sink).dead_letters ?? 0) + value;
        break;
      case 'audit_siem_events_delivered_total':
        sinkOf(sink).delivered_total = (sinkOf(sink).delivered_total ?? 0) + value;
        break;
    }
  }
  return [...sinks.values()].sort((a, b) => a.sink.localeCompare(b.sink));
}
