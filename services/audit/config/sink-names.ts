import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../common';

/**
 * The sink names of `AUDIT_SINKS` (a JSON or YAML list), which is all ingest needs: one outbox row per
 * event and sink. The full per-type validation belongs to the forwarder (`siem/sink-config.ts`); here a
 * sink only needs a `type`, and its `name` defaults to the type.
 */
export function sinkNamesOf(sinks: string | undefined): string[] {
  if (sinks === undefined || sinks.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = parseYaml(sinks);
  } catch {
    throw new ConfigError([{ variable: 'AUDIT_SINKS', message: 'expected a JSON or YAML list of sinks' }]);
  }
  if (!Array.isArray(parsed)) throw new ConfigError([{ variable: 'AUDIT_SINKS', message: 'expected a list of sinks' }]);
  const names = parsed.map((sink, index) => {
    const entry = (typeof sink === 'object' && sink !== null ? sink : {}) as { name?: unknown; type?: unknown };
    const name = typeof entry.name === 'string' && entry.name.length > 0 ? entry.name : entry.type;
    if (typeof name !== 'string' || name.length === 0) {
      throw new ConfigError([{ variable: `AUDIT_SINKS.${index}`, message: 'each sink needs a type (and optionally a name)' }]);
    }
    return name;
  });
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new ConfigError([{ variable: 'AUDIT_SINKS', message: `sink name ${duplicate} is used twice; give each sink its own name` }]);
  return names;
}
