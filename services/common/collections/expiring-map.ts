import { oldestKeyOf } from './oldest-key';

/**
 * A bounded map whose entries expire at a time given with each one. When full, a new key pushes out
 * the oldest inserted; replacing a key keeps its place. Reads do not reorder (no map churn on the hot
 * paths that use it), so this is first-in-first-out rather than least-recently-used.
 */
export interface ExpiringMap<V> {
  /** The value, unless absent or expired (an expired entry is dropped). */
  get(key: string): V | undefined;
  /** Stores `value` until `expiresAt` (ms since the epoch); nothing is stored when that has passed or the map holds nothing. */
  set(key: string, value: V, expiresAt: number): void;
  clear(): void;
  readonly size: number;
}

export function createExpiringMap<V>(maxEntries: number, now: () => number = Date.now): ExpiringMap<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  let oldest = oldestKeyOf(entries);
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, expiresAt) {
      if (maxEntries <= 0 || !(expiresAt > now())) return;
      if (!entries.has(key) && entries.size >= maxEntries) entries.delete(oldest() as string);
      entries.set(key, { value, expiresAt });
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
