import { oldestKeyOf } from '../../common/collections/oldest-key';
import type { PdpDecision } from './pdp-contract';

interface Entry {
  decision: PdpDecision;
  expiresAt: number;
}

/** Decisions the PDP said may be reused (`cache_ttl` seconds), keyed by the full question; bounded, oldest out first. */
export interface DecisionCache {
  get(key: string): PdpDecision | undefined;
  put(key: string, decision: PdpDecision): void;
  clear(): void;
  readonly size: number;
}

export function createDecisionCache(maxEntries: number, now: () => number = Date.now): DecisionCache {
  const entries = new Map<string, Entry>();
  let oldest = oldestKeyOf(entries);
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.decision;
    },
    put(key, decision) {
      if (decision.cache_ttl <= 0 || maxEntries <= 0) return;
      // Replacing a cached key needs no room; a new one pushes out the oldest.
      if (!entries.has(key) && entries.size >= maxEntries) entries.delete(oldest() as string);
      entries.set(key, { decision, expiresAt: now() + decision.cache_ttl * 1000 });
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
