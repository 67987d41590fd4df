/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members left out
 * (`undefined` in an array becomes `null`, as in JSON.stringify). The audit hash chain depends on it, so an
 * event read back from Postgres (whose jsonb reorders keys) gives the same text as when it was written; the
 * PDP keys its decision cache with it, so equal inputs share an entry whatever their key order.
 *
 * A value whose objects already list their keys in sorted order (what the audit's `prepareEvent` builds) is
 * written by JSON.stringify as it is; otherwise it is copied with keys inserted in sorted order first.
 * JavaScript objects list integer-like keys ("2", "10") first in numeric order whatever the insertion order,
 * so a value containing such a key is written member by member. Leaving the writing to JSON.stringify also
 * keeps the text compact: V8 keeps a text built by appending as a tree of every piece appended (JSON.stringify's
 * has a handful), which as a long-lived cache key held ~2.5 KB instead of ~0.6 KB for a 400-character input,
 * and building and looking it up took twice as long.
 */
export function canonicalJson(value: unknown): string {
  if (isInCanonicalOrder(value)) return JSON.stringify(value) ?? 'null';
  try {
    return JSON.stringify(sortedCopy(value)) ?? 'null';
  } catch (error) {
    if (error !== INTEGER_LIKE_KEY) throw error;
    return writeCanonical(value);
  }
}

const INTEGER_LIKE = /^(?:0|[1-9]\d*)$/;
const INTEGER_LIKE_KEY = Symbol('integer-like key');

/**
 * Whether JSON.stringify would already write the canonical text: every object lists its keys in ascending
 * order, none integer-like, and none has a `toJSON` (which the copying path would not call).
 */
function isInCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isInCanonicalOrder);
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === 'function') return false;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if ((i > 0 && key <= (keys[i - 1] as string)) || isIntegerLike(key) || !isInCanonicalOrder(record[key])) return false;
  }
  return true;
}

function isIntegerLike(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && INTEGER_LIKE.test(key);
}

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (isIntegerLike(key)) throw INTEGER_LIKE_KEY;
    copy[key] = sortedCopy(record[key]);
  }
  return copy;
}

function writeCanonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(writeCanonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${writeCanonical(member)}`);
  }
  return `{${members.join(',')}}`;
}
