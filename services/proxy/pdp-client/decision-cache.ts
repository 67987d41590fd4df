import { createExpiringMap } from '../../common/collections/expiring-map';
import type { PdpDecision } from './pdp-contract';

/** Decisions the PDP said may be reused (`cache_ttl` seconds), keyed by the full question; bounded, oldest out first. */
export interface DecisionCache {
  get(key: string): PdpDecision | undefined;
  put(key: string, decision: PdpDecision): void;
  clear(): void;
  readonly size: number;
}

export function createDecisionCache(maxEntries: number, now: () => number = Date.now): DecisionCache {
  const decisions = createExpiringMap<PdpDecision>(maxEntries, now);
  return {
    get: (key) => decisions.get(key),
    put(key, decision) {
      if (decision.cache_ttl > 0) decisions.set(key, decision, now() + decision.cache_ttl * 1000);
    },
    clear: () => decisions.clear(),
    get size() {
      return decisions.size;
    },
  };
}
