/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members left out
 * (`undefined` in an array becomes `null`, as in JSON.stringify). The hash chain depends on it, so an event
 * read back from Postgres (whose jsonb reorders keys) gives the same text as when it was written. It runs
 * once per ingested event, hence the plain loops.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}
