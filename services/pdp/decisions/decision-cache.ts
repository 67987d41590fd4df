import { oldestKeyOf } from '../../common/collections/oldest-key';

/**
 * Least-recently-used cache of decisions with a time to live per entry (the decision's `cache_ttl`).
 * A Map keeps insertion order, so re-inserting on every hit makes its first key the least recently used.
 */
export interface DecisionCache {
  get(key: string): unknown;
  set(key: string, value: unknown, ttlSeconds: number): void;
  clear(): void;
  readonly size: number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

export function createDecisionCache(maxEntries: number, now: () => number = Date.now): DecisionCache {
  const entries = new Map<string, Entry>();
  let oldest = oldestKeyOf(entries);
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, ttlSeconds) {
      if (maxEntries <= 0 || !(ttlSeconds > 0)) return;
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      if (entries.size > maxEntries) entries.delete(oldest() as string);
    },
    clear() {
      entries.clear();
      oldest = oldestKeyOf(entries);
    },
    get size() {
      return entries.size;
    },
  };
}
